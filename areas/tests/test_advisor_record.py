"""The advisor uses the diary (issue 16 point 6): the score sheet's criteria on raw-material areas
and traceability, found in the criteria data, show what the producer has recorded."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from areas.selectors import is_traceability_criterion, product_traceability
from areas.services import diary_entry_add, season_create
from core.testing import ProductFactory
from evaluation.criteria import load_criteria_set

QD26 = Path(__file__).resolve().parents[2] / "evaluation" / "data" / "criteria" / "QD26-2026.yaml"


@pytest.fixture(scope="module")
def qd26():
    return load_criteria_set(QD26)


def test_the_area_and_traceability_criteria_are_found_in_the_data(qd26):
    sheet = qd26.sheets[0]
    found = {c.code for c in sheet.criteria() if is_traceability_criterion(c)}
    assert {"1.1", "1.2"} <= found  # nguồn gốc/nguồn nguyên liệu, vùng nguyên liệu được chứng nhận
    assert "1.3" not in found  # gia tăng giá trị
    assert len(found) < len(list(sheet.criteria())) / 3


@pytest.fixture
def recorded(users, make_area, certify):
    product = ProductFactory(producer=users["producer_account_of"], commune=users["chi_lang"], name="Na dai")
    area = make_area(
        producers=[users["producer_account_of"]], products=[product], growing_area_code="VN-LSON-0042"
    )
    certify(area, number="VG-123")
    day = timezone.localdate() - dt.timedelta(days=60)
    season = season_create(area, actor=users["office"], name="Vụ na 2026", start_date=day)
    diary_entry_add(season, actor=users["office"], kind="harvest", date=day, quantity=Decimal(10), unit="kg")
    return product


@pytest.mark.django_db
def test_the_record_of_a_product_in_a_fixed_number_of_queries(users, recorded, django_assert_num_queries):
    with django_assert_num_queries(3):
        [area] = product_traceability(recorded, users["office"])
        assert area.growing_area_code == "VN-LSON-0042"
        assert [c.status_today for c in area.certification_list] == ["valid"]
        [season] = area.season_list
        assert (season.entry_count, season.harvest_count, season.flagged_count) == (1, 1, 0)
    assert product_traceability(recorded, users["nobody"]) == []


@pytest.mark.django_db
def test_a_score_sheet_criterion_shows_the_record_only_where_it_belongs(users, recorded, qd26):
    request = RequestFactory().get("/")
    request.user = users["office"]
    template = Template("{% load areas_tags %}{% criterion_record c product %}")
    by_code = {c.code: c for c in qd26.sheets[0].criteria()}
    html = template.render(Context({"c": by_code["1.2"], "product": recorded, "request": request}))
    assert "VN-LSON-0042" in html and "VG-123" in html and "Vụ na 2026" in html
    assert reverse("areas:detail", args=[recorded.raw_material_areas.get().pk]) in html
    assert (
        template.render(Context({"c": by_code["1.3"], "product": recorded, "request": request})).strip() == ""
    )


@pytest.mark.django_db
def test_the_advisor_page_shows_the_record(client, users, recorded):
    client.force_login(users["officer"])
    body = client.get(reverse("evaluation:advisor", args=[recorded.pk])).content.decode()
    assert "Vùng nguyên liệu và truy xuất nguồn gốc đã ghi nhận" in body
    assert "VN-LSON-0042" in body and "Vụ na 2026" in body and "1 ghi chép" in body
