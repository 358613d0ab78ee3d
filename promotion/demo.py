"""Sample promotion events (dữ liệu mẫu): past fairs, a livestream sale and a promotion week with
results, and one upcoming fair. Idempotent: an event found by name is left alone."""

import datetime as dt
import random
from urllib.parse import quote_plus

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from producers.models import Producer
from products.models import public_q
from promotion.models import Event, EventKind, Video
from promotion.services import event_create, participation_add, participation_record_results, video_add

ORDER = 81
NOTE = "Dữ liệu mẫu để minh họa, không phải sự kiện thật."


def _events(today: dt.date) -> list[dict]:
    upcoming = today + dt.timedelta(days=20)
    return [
        {
            "name": "Hội chợ OCOP Lạng Sơn 2025 (dữ liệu mẫu)",
            "kind": EventKind.FAIR,
            "start_date": dt.date(2025, 11, 20),
            "end_date": dt.date(2025, 11, 24),
            "place": "Quảng trường 17-10, phường Lương Văn Tri, tỉnh Lạng Sơn",
            "organiser": "Sở Công Thương tỉnh Lạng Sơn (dữ liệu mẫu)",
            "participants": 8,
            "scale": 1.0,
        },
        {
            "name": "Phiên livestream bán hàng OCOP xứ Lạng (dữ liệu mẫu)",
            "kind": EventKind.LIVESTREAM,
            "start_date": dt.date(2026, 6, 15),
            "end_date": dt.date(2026, 6, 15),
            "place": "Trực tuyến trên TikTok Shop và Facebook",
            "organiser": "Văn phòng OCOP tỉnh Lạng Sơn (dữ liệu mẫu)",
            "participants": 5,
            "scale": 0.6,
        },
        {
            "name": "Tuần lễ sản phẩm OCOP Lạng Sơn tại Hà Nội (dữ liệu mẫu)",
            "kind": EventKind.WEEK,
            "start_date": dt.date(2026, 9, 7),
            "end_date": dt.date(2026, 9, 13),
            "place": "Trung tâm giới thiệu sản phẩm OCOP, Hà Nội",
            "organiser": "Sở Công Thương tỉnh Lạng Sơn (dữ liệu mẫu)",
            "participants": 6,
            "scale": 0.8,
        },
        {
            "name": "Hội chợ Xuân OCOP Lạng Sơn (dữ liệu mẫu)",
            "kind": EventKind.FAIR,
            "start_date": upcoming,
            "end_date": upcoming + dt.timedelta(days=4),
            "place": "Quảng trường 17-10, phường Lương Văn Tri, tỉnh Lạng Sơn",
            "organiser": "Sở Công Thương tỉnh Lạng Sơn (dữ liệu mẫu)",
            "participants": 4,
            "scale": 0,
        },
    ]


@transaction.atomic
def load(log=print) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        log("promotion demo: no admin account (run after backoffice demo)")
        return
    today = timezone.localdate()
    producers = list(
        Producer.objects.filter(is_sample=True, products__isnull=False).distinct().order_by("name")
    )
    created = 0
    for spec in _events(today):
        if Event.objects.filter(name=spec["name"]).exists():
            continue
        rng = random.Random(f"ocop-event-demo:{spec['name']}")
        event = event_create(
            actor=admin,
            name=spec["name"],
            kind=spec["kind"],
            start_date=spec["start_date"],
            end_date=spec["end_date"],
            place=spec["place"],
            organiser=spec["organiser"],
            description=NOTE,
            is_published=True,
            is_sample=True,
        )
        created += 1
        chosen = rng.sample(producers, min(spec["participants"], len(producers)))
        for producer in sorted(chosen, key=lambda p: p.name):
            products = list(producer.products.exclude(status="retired").order_by("name")[:2])
            participation = participation_add(event, producer, actor=admin, products=products, note=NOTE)
            if spec["scale"] and event.start_date <= today:
                scale = spec["scale"]
                contracts = rng.choice([0, 0, 1, 1, 2, 3])
                participation_record_results(
                    participation,
                    actor=admin,
                    sales_revenue=int(rng.uniform(5, 60) * scale) * 1_000_000,
                    contracts_count=contracts,
                    contracts_value=contracts * int(rng.uniform(20, 150)) * 1_000_000,
                    contacts_count=int(rng.uniform(3, 25) * scale) + 1,
                    note=NOTE,
                )
    log(f"promotion demo: {created} sample events created")
    _demo_video(admin, producers, log)


# A link to the platform's search results for the producer: a true link, not an invented video.
DEMO_VIDEO_TITLE = "Video về sản phẩm OCOP Lạng Sơn trên YouTube (dữ liệu mẫu)"


def _demo_video(admin, producers, log) -> None:
    """One producer with a video link card on its public page (idempotent)."""
    public = [p for p in producers if p.products.filter(public_q()).exists()]
    if not public or Video.objects.filter(title=DEMO_VIDEO_TITLE).exists():
        return
    producer = public[0]
    video = video_add(
        producer,
        actor=admin,
        title=DEMO_VIDEO_TITLE,
        url="https://www.youtube.com/results?search_query=" + quote_plus(f"{producer.name} OCOP Lạng Sơn"),
    )
    Video.objects.filter(pk=video.pk).update(is_sample=True)
    log(f"promotion demo: a video link on {producer.name}")
