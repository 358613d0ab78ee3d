"""Public product feeds (sales.feeds): the showroom's and each public producer's."""

from django.urls import re_path

from sales import feed_views

app_name = "feeds"
urlpatterns = [
    re_path(r"^tinh\.(?P<fmt>csv|xml)$", feed_views.showroom_feed, name="showroom"),
    re_path(
        r"^chu-the/(?P<slug>[-a-zA-Z0-9_]+)\.(?P<fmt>csv|xml)$",
        feed_views.public_producer_feed,
        name="producer",
    ),
]
