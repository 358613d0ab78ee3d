"""The data-quality worklist (reports.quality): each gap, the office's and a commune officer's
scope, counts per commune, the list and its links, the Excel export job, the dashboard's figure."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from certificates.models import Certificate
from core.testing import ProducerFactory, ProductFactory
from jobs.testing import job_file
from producers.models import Producer
from products.models import Classification, Product
from products.services import product_photo_add
from reports import quality
from reports.tests.helpers import certify, months_ago

pytestmark = pytest.mark.django_db

ALL_ZERO = dict.fromkeys(quality.GAPS_BY_CODE, 0)


def node(code: str) -> Classification:
    return Classification.objects.get(scheme="QD26-2026", code=code)


def photo(users, product):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")
    product_photo_add(product, upload, actor=users["office"])


def contact(**fields):
    return {"phone": "0912345678", "lat": Decimal("21.85"), "lng": Decimal("106.76"), **fields}


@pytest.fixture
def world(users):
    """In Chi Lăng (the officer's commune): one complete product of a complete producer, one
    without producer, one filed at group level, and a producer without a code; the users'
    producers have no phone and no coordinates. In the other commune: a product without photo
    whose certificate has no decision number and an estimated date."""
    chi_lang = users["chi_lang"]
    full = ProducerFactory(name="HTX Đủ thông tin", commune=chi_lang, **contact())
    ProducerFactory(name="THT Chưa có mã", kind="tht", registration_code="", commune=chi_lang, **contact())
    complete = ProductFactory(name="Na đủ", producer=full, category=node("I.1.a"))
    photo(users, complete)
    certify(users, complete, 3, months_ago(2), decision_number="2150/QĐ-UBND")
    orphan = ProductFactory(name="Hồng không chủ", producer=None, commune=chi_lang, category=node("I.1.a"))
    grouped = ProductFactory(name="Thạch nhóm chung", producer=full, category=node("I"), processing_level="")
    foreign = ProductFactory(name="Miến Thất Khê", producer=users["foreign_producer"], category=node("I.1.a"))
    estimated = certify(users, foreign, 3, months_ago(5))
    Certificate.objects.filter(pk=estimated.pk).update(issued_on_estimated=True)
    return {
        "complete": complete,
        "orphan": orphan,
        "grouped": grouped,
        "foreign": foreign,
        "estimated": estimated,
        "full": full,
    }


CHI_LANG = {
    **ALL_ZERO,
    "registration_code": 1,  # THT Chưa có mã
    "phone": 2,  # HTX Na Chi Lăng, HKD Sầm Thu
    "coordinates": 2,
    "producer": 1,
    "subgroup": 1,
    "photo": 2,  # the orphan and the grouped product
    "processing_level": 1,  # the grouped product
}
OTHER = {**ALL_ZERO, "phone": 1, "coordinates": 1, "photo": 1, "decision_number": 1, "estimated_date": 1}


def test_each_gap_counted_per_commune_for_the_office(users, world):
    summary = quality.summary(users["office"])
    per_commune = {row.commune.code: row.counts for row in summary.by_commune}
    assert per_commune == {users["chi_lang"].code: CHI_LANG, users["other_commune"].code: OTHER}
    assert summary.totals == {code: CHI_LANG[code] + OTHER[code] for code in CHI_LANG}
    # The commune with most to complete comes first.
    assert summary.by_commune[0].commune == users["chi_lang"]


def test_a_commune_officer_sees_only_their_communes(users, world):
    summary = quality.summary(users["officer"])
    assert [row.commune for row in summary.by_commune] == [users["chi_lang"]]
    assert summary.totals == CHI_LANG
    assert not quality.gap_records(users["officer"], quality.GAPS_BY_CODE["decision_number"]).exists()
    # The office narrowed to one commune counts what the officer counts.
    assert quality.summary(users["office"], users["chi_lang"]).totals == CHI_LANG


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("registration_code", ["THT Chưa có mã"]),
        ("producer", ["Hồng không chủ"]),
        ("subgroup", ["Thạch nhóm chung"]),
        ("photo", ["Hồng không chủ", "Miến Thất Khê", "Thạch nhóm chung"]),
        ("processing_level", ["Thạch nhóm chung"]),
        ("phone", ["HKD Sầm Thu", "HTX Na Chi Lăng", "HTX Thạch đen Thất Khê"]),
        ("coordinates", ["HKD Sầm Thu", "HTX Na Chi Lăng", "HTX Thạch đen Thất Khê"]),
        ("decision_number", ["Miến Thất Khê"]),
        ("estimated_date", ["Miến Thất Khê"]),
    ],
)
def test_each_gap_lists_the_records_that_lack_it(users, world, code, names):
    gap = quality.GAPS_BY_CODE[code]
    lines = list(quality.lines(gap, quality.gap_records(users["office"], gap)))
    assert sorted(line.name for line in lines) == names
    # Each line links to the form that completes it.
    for line in lines:
        assert line.url.split("#")[0].startswith("/quan-ly/")


def test_a_completed_record_leaves_the_list(users, world):
    product = world["grouped"]
    Product.objects.filter(pk=product.pk).update(category=node("I.1.a"))
    Producer.objects.filter(name="THT Chưa có mã").update(registration_code="4800000019")
    Certificate.objects.filter(pk=world["estimated"].pk).update(
        issued_on_estimated=False, decision_number="12/QĐ-UBND"
    )
    totals = quality.summary(users["office"]).totals
    assert totals["subgroup"] == totals["registration_code"] == 0
    assert totals["decision_number"] == totals["estimated_date"] == 0


def test_a_superseded_certificate_is_not_on_the_list(users, world):
    # Only the product's current certificate matters: an older one keeps what it had.
    certify(users, world["foreign"], 4, months_ago(1), decision_number="99/QĐ-UBND")
    totals = quality.summary(users["office"]).totals
    assert totals["decision_number"] == totals["estimated_date"] == 0


def test_worklist_page_scope_filters_and_links(client, users, world):
    url = reverse("quality:worklist")
    assert url == "/quan-ly/chat-luong-du-lieu/"
    client.force_login(users["officer"])
    page = client.get(url, {"gap": "photo"}).content.decode()
    assert "Hồng không chủ" in page and "Thạch nhóm chung" in page
    assert "Miến Thất Khê" not in page
    assert reverse("backoffice:product_detail", args=[world["orphan"].pk]) + "#photos" in page
    detail = client.get(reverse("backoffice:product_detail", args=[world["orphan"].pk])).content.decode()
    assert 'id="photos"' in detail
    # A commune outside theirs is not a choice: the filter falls back to all of theirs.
    response = client.get(url, {"gap": "photo", "commune": users["other_commune"].code})
    assert "Miến Thất Khê" not in response.content.decode()
    client.force_login(users["office"])
    page = client.get(url, {"gap": "estimated_date"}).content.decode()
    assert reverse("certificates:complete", args=[world["estimated"].pk]) in page
    narrowed = client.get(url, {"gap": "photo", "commune": users["chi_lang"].code}).content.decode()
    assert "Miến Thất Khê" not in narrowed and "Hồng không chủ" in narrowed
    # Without a gap chosen, the first gap that has records is listed.
    assert client.get(url).context["gap"].code == "registration_code"


@pytest.mark.parametrize(("role", "status"), [("council", 403), ("producer", 403), ("nobody", 403)])
def test_worklist_is_for_the_office_and_commune_officers(client, users, role, status):
    client.force_login(users[role])
    assert client.get(reverse("quality:worklist")).status_code == status
    assert client.get(reverse("quality:export")).status_code == status


def test_nav_link_only_for_those_who_may_use_it(client, users):
    link = reverse("quality:worklist")
    client.force_login(users["officer"])
    assert link in client.get(reverse("backoffice:home")).content.decode()
    client.force_login(users["council"])
    assert link not in client.get(reverse("backoffice:home")).content.decode()


def test_worklist_query_count_does_not_grow_with_the_records(
    client, users, world, django_assert_max_num_queries
):
    # Session, user, three grouped counts, the communes named, the page's count and rows, the
    # unread notices, the filter's communes (and an officer's communes).
    url = reverse("quality:worklist")
    for i in range(30):
        product = ProductFactory(name=f"Thêm {i}", producer=users["own_producer"], category=node("I"))
        certify(users, product, 3, months_ago(3))
        Certificate.objects.filter(product=product).update(issued_on_estimated=True)
    for user, most in (("office", 10), ("officer", 11)):
        client.force_login(users[user])
        for gap in quality.GAPS:
            with django_assert_max_num_queries(most):
                response = client.get(url, {"gap": gap.code})
            assert response.status_code == 200
        assert len(client.get(url, {"gap": "subgroup"}).context["page"].object_list) == 25


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def test_export_job_lists_each_gap_within_the_users_scope(client, users, world):
    url = reverse("quality:export")
    client.force_login(users["office"])
    sheets = _sheets(job_file(client, url))
    assert list(sheets) == ["Tổng hợp", *(str(g.label) for g in quality.GAPS)]
    counts = {row[0]: row[1:] for row in sheets["Tổng hợp"][4:]}
    assert counts[str(users["other_commune"])] == tuple(OTHER[g.code] for g in quality.GAPS)
    assert counts["Tổng"] == tuple(CHI_LANG[g.code] + OTHER[g.code] for g in quality.GAPS)
    estimated = sheets["Ngày cấp ước tính"][4:]
    assert [r[0] for r in estimated] == ["Miến Thất Khê"]
    assert estimated[0][3].endswith(reverse("certificates:complete", args=[world["estimated"].pk]))
    assert "(ước tính)" in estimated[0][1]

    client.force_login(users["officer"])
    mine = _sheets(job_file(client, url, {"gap": "photo"}))
    assert list(mine) == ["Tổng hợp", "Thiếu ảnh"]
    assert sorted(r[0] for r in mine["Thiếu ảnh"][4:]) == ["Hồng không chủ", "Thạch nhóm chung"]
    assert [r[2] for r in mine["Thiếu ảnh"][4:]] == [str(users["chi_lang"])] * 2
    assert str(users["other_commune"]) not in {r[0] for r in mine["Tổng hợp"]}


def test_completeness_agrees_with_the_gaps(users, world):
    products = Product.objects.all()
    assert quality.completeness(products) == quality.Completeness(1, 4)
    assert quality.completeness(products).percent == 25.0
    assert quality.completeness(Product.objects.none()).percent is None
    # Completing the producer's last gap of a product makes it count.
    Producer.objects.filter(pk=users["foreign_producer"].pk).update(**contact())
    photo(users, world["foreign"])
    assert quality.completeness(products).complete == 1  # its certificate still lacks a decision
    Certificate.objects.filter(pk=world["estimated"].pk).update(
        issued_on_estimated=False, decision_number="12/QĐ-UBND"
    )
    assert quality.completeness(products).complete == 2


def test_dashboard_shows_completeness_scoped_like_the_dashboard(client, users, world):
    client.force_login(users["office"])
    response = client.get(reverse("reports:dashboard"))
    assert response.context["completeness"] == quality.Completeness(1, 4)
    assert "hồ sơ đầy đủ thông tin" in response.content.decode()
    assert "25,0%" in response.content.decode()
    client.force_login(users["officer"])
    assert client.get(reverse("reports:dashboard")).context["completeness"] == quality.Completeness(1, 3)
    client.force_login(users["office"])
    narrowed = client.get(reverse("reports:dashboard"), {"commune": users["other_commune"].code})
    assert narrowed.context["completeness"] == quality.Completeness(0, 1)
