"""The demo of issue 17's promotion points: a fair's catalogue PDF from the sample data, a producer
with a video link on its public page, and the showroom feed."""

import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from jobs.testing import run_jobs, started_job
from products.models import Product
from promotion.models import Event, Video

pytestmark = pytest.mark.django_db


def test_demo_catalogue_video_and_feed(client):
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    video = Video.objects.get(is_sample=True)
    assert (
        video.producer_id and video.source == "youtube" and video.url.startswith("https://www.youtube.com/")
    )
    page = client.get(reverse("catalogue:producer", args=[video.producer.slug])).content.decode()
    assert video.title in page and "<iframe" not in page

    event = Event.objects.get(name="Hội chợ OCOP Lạng Sơn 2025 (dữ liệu mẫu)")
    client.force_login(User.objects.get(username="admin"))
    with run_jobs():
        response = client.post(reverse("promotion:catalogue"), {"language": "vi", "event": event.pk})
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == job.Status.SUCCEEDED, job.error
    data = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    shown = Product.objects.public().filter(event_participations__event=event).distinct()
    assert shown.exists() and job.progress_total == shown.count()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        assert event.name in text
        assert all(p.name.split()[0] in text for p in shown)
    assert data.count(b"/Subtype /Image") >= 2 * shown.count() - 1  # photos and QR codes

    client.logout()
    feed = client.get(reverse("feeds:showroom", args=["csv"]))
    lines = b"".join(feed.streaming_content).decode().splitlines()
    assert len(lines) == Product.objects.public().count() + 1
