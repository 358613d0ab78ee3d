"""Sample training courses and support grants (dữ liệu mẫu). Idempotent: a programme or course
found by name is left alone, and so are its grants and participants."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from producers.models import Producer
from support.models import Category, Course, Programme
from support.services import attendance_add, course_save, grant_save, programme_save

ORDER = 82
NOTE = "Dữ liệu mẫu để minh họa, không phải số liệu thật."


def _programmes(today: dt.date) -> list[dict]:
    year_end = dt.date(today.year, 12, 31)
    return [
        {
            "name": "Hỗ trợ thiết kế bao bì, nhãn mác sản phẩm OCOP (dữ liệu mẫu)",
            "category": Category.PACKAGING,
            "start_date": dt.date(today.year, 1, 1),
            "end_date": year_end,
            "budget": 300_000_000,
            "funder": "Ngân sách tỉnh, Chương trình OCOP (dữ liệu mẫu)",
            "grants": [("HTX Chế biến nông sản Lụa Vy", 25_000_000), (None, 18_000_000), (None, 22_000_000)],
        },
        {
            "name": "Hỗ trợ tem truy xuất nguồn gốc (dữ liệu mẫu)",
            "category": Category.TRACEABILITY,
            "start_date": dt.date(today.year, 1, 1),
            "end_date": None,
            "budget": 80_000_000,
            "funder": "Sở Khoa học và Công nghệ (dữ liệu mẫu)",
            "grants": [("HTX Chế biến nông sản Lụa Vy", 6_000_000), (None, 4_500_000)],
        },
        {
            "name": "Hỗ trợ đăng ký nhãn hiệu (dữ liệu mẫu)",
            "category": Category.TRADEMARK,
            "start_date": dt.date(today.year - 1, 1, 1),
            "end_date": year_end,
            "budget": 120_000_000,
            "funder": "Sở Khoa học và Công nghệ (dữ liệu mẫu)",
            "grants": [(None, 12_000_000), (None, 12_000_000)],
        },
        {
            "name": "Hỗ trợ máy móc, thiết bị chế biến (dữ liệu mẫu)",
            "category": Category.EQUIPMENT,
            "start_date": dt.date(today.year - 1, 3, 1),
            "end_date": dt.date(today.year - 1, 12, 31),
            "budget": 500_000_000,
            "funder": "Chương trình khuyến công (dữ liệu mẫu)",
            "grants": [(None, 95_000_000), (None, 60_000_000)],
        },
        {
            "name": "Hỗ trợ đưa sản phẩm OCOP lên sàn thương mại điện tử (dữ liệu mẫu)",
            "category": Category.TRADE_PROMOTION,
            "start_date": dt.date(today.year, 3, 1),
            "end_date": year_end,
            "budget": 150_000_000,
            "funder": "Sở Công Thương (dữ liệu mẫu)",
            "grants": [("HTX Chế biến nông sản Lụa Vy", 8_000_000), (None, 8_000_000), (None, 8_000_000)],
        },
    ]


def _courses(today: dt.date) -> list[dict]:
    past = today - dt.timedelta(days=60)
    soon = today + dt.timedelta(days=30)
    return [
        {
            "title": "Tập huấn bán hàng trên sàn thương mại điện tử (dữ liệu mẫu)",
            "topic": Category.TRADE_PROMOTION,
            "start_date": past,
            "end_date": past + dt.timedelta(days=1),
            "trainer": "Trung tâm Xúc tiến thương mại (dữ liệu mẫu)",
            "place": "Hội trường UBND xã Chi Lăng",
            "participants": 6,
        },
        {
            "title": "Tập huấn thiết kế bao bì và câu chuyện sản phẩm (dữ liệu mẫu)",
            "topic": Category.PACKAGING,
            "start_date": soon,
            "end_date": soon + dt.timedelta(days=2),
            "trainer": "Văn phòng OCOP tỉnh (dữ liệu mẫu)",
            "place": "Phường Lương Văn Tri, tỉnh Lạng Sơn",
            "participants": 4,
        },
    ]


def _grant_date(programme: Programme, today: dt.date, k: int) -> dt.date:
    end = min(programme.end_date or today, today)
    day = programme.start_date + dt.timedelta(days=30 * (k + 1))
    return min(day, end)


@transaction.atomic
def load(log=print) -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        log("support demo: no admin account (run after backoffice demo)")
        return
    today = timezone.localdate()
    producers = list(
        Producer.objects.filter(is_sample=True, products__isnull=False).distinct().order_by("name")
    )
    by_name = {p.name: p for p in producers}
    created = grants = 0
    for n, spec in enumerate(_programmes(today)):
        if Programme.objects.filter(name=spec["name"]).exists():
            continue
        programme = programme_save(
            None,
            actor=admin,
            name=spec["name"],
            category=spec["category"],
            start_date=spec["start_date"],
            end_date=spec["end_date"],
            budget=spec["budget"],
            funder=spec["funder"],
            description=NOTE,
            is_sample=True,
        )
        created += 1
        for k, (producer_name, amount) in enumerate(spec["grants"]):
            producer = (
                by_name.get(producer_name) if producer_name else producers[(n * 7 + k * 3) % len(producers)]
            )
            if producer is None:
                continue
            grant_save(
                None,
                actor=admin,
                producer=producer,
                programme=programme,
                product=producer.products.order_by("name").first(),
                amount=amount,
                granted_on=_grant_date(programme, today, k),
                note=NOTE,
                is_sample=True,
            )
            grants += 1
    for n, spec in enumerate(_courses(today)):
        if Course.objects.filter(title=spec["title"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k != "participants"}
        course = course_save(None, actor=admin, description=NOTE, is_sample=True, **data)
        created += 1
        chosen = {producers[(n * 5 + k * 4) % len(producers)] for k in range(spec["participants"])}
        if "HTX Chế biến nông sản Lụa Vy" in by_name:
            chosen.add(by_name["HTX Chế biến nông sản Lụa Vy"])
        for k, producer in enumerate(sorted(chosen, key=lambda p: p.name)):
            attendance_add(
                course,
                producer,
                actor=admin,
                people=1 + k % 3,
                attended=course.start_date <= today and k % 4 != 3,
            )
    log(f"support demo: {created} sample programmes/courses, {grants} sample grants created")
