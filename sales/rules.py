"""Who may see and enter sales figures. A producer account: its own; a commune officer: the
producers of its communes; the office: everyone; council members: province aggregates only."""

import rules

from accounts.roles import is_commune_officer, is_council_member, is_office, is_producer_account
from producers.rules import is_my_producer, producer_in_my_communes

# The object is a producers.Producer (None: "may I use this kind of page at all").
can_view_producer_sales = (
    is_office | (is_commune_officer & producer_in_my_communes) | (is_producer_account & is_my_producer)
)

rules.add_perm("sales.view_producer_sales", can_view_producer_sales)
rules.add_perm("sales.change_producer_sales", can_view_producer_sales)
rules.add_perm("sales.list_producers", is_office | is_commune_officer)
# Aggregates: a commune officer's are limited to its communes by the views.
rules.add_perm("sales.view_summary", is_office | is_council_member | is_commune_officer)


# Where to buy: sales points (issue 17 point 2). The object is a sales.SalesPoint (None: "may I use
# this kind of page at all"). The office manages every point; a producer account adds its own
# points, changes and publishes them, and puts its own products on any published point.
@rules.predicate
def is_my_sales_point(user, point):
    if point is None:
        return True
    return point.owner_id is not None and point.owner_id == user.producer_id


@rules.predicate
def is_published_or_mine(user, point):
    if point is None:
        return True
    return point.is_published or (point.owner_id is not None and point.owner_id == user.producer_id)


rules.add_perm("sales.view_salespoint", is_office | is_commune_officer | is_producer_account)
rules.add_perm("sales.add_salespoint", is_office | is_producer_account)
rules.add_perm("sales.change_salespoint", is_office | (is_producer_account & is_my_sales_point))
rules.add_perm("sales.delete_salespoint", is_office | (is_producer_account & is_my_sales_point))
rules.add_perm("sales.stock_salespoint", is_office | (is_producer_account & is_published_or_mine))
