"""The score sheet that guides (issue 14, point 5): radio beside its text, the running result with
each star level's minimum marks and the criteria that cap the star, "Loại bỏ hồ sơ", and the
confirmations before closing a round and issuing a decision."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.testing import ProductFactory, make_user
from evaluation import services
from evaluation.models import Dossier, DossierState, Round, RoundResult
from evaluation.scoring_view import scoresheet_live
from products.models import Classification

pytestmark = pytest.mark.django_db
S = DossierState


@pytest.fixture
def council(users):
    return {"chair": make_user("chair", Role.COUNCIL_MEMBER), "m1": make_user("m1", Role.COUNCIL_MEMBER)}


@pytest.fixture
def in_round(users, council):
    product = ProductFactory(
        producer=users["own_producer"],
        name="Thạch đen Chi Lăng",
        category=Classification.objects.get(scheme="QD26-2026", code="I.3.c"),
    )
    dossier = services.dossier_create(product, kind="new", actor=users["office"])
    Dossier.objects.filter(pk=dossier.pk).update(state=S.PROVINCE_RECEIVED, forwarded_on=dt.date(2026, 3, 1))
    round_ = services.round_create(
        name="Đợt 3",
        year=2026,
        number=3,
        chair=council["chair"],
        members=[council["m1"]],
        actor=users["office"],
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    dossier.refresh_from_db()
    return round_, dossier


def _best(sheet):
    return {c.code: max(c.choices, key=lambda o: o.points).code for c in sheet.criteria()}


def _url(round_, dossier):
    return reverse("evaluation:scoresheet", args=[round_.pk, dossier.pk])


def test_radio_sits_beside_its_text_and_assets_are_our_own(client, council, in_round):
    round_, dossier = in_round
    client.force_login(council["m1"])
    page = client.get(_url(round_, dossier)).content.decode()
    option = re.search(
        r'<label class="option[^"]*"><input type="radio" name="c-1\.1"[^>]*><span class="text">', page
    )
    assert option, "the radio and its option's text are in one label, side by side"
    assert "Loại bỏ hồ sơ" in page and ">Loại hồ sơ<" not in page
    assert '<script src="/static/evaluation/scoresheet.js"' in page
    assert "scoresheet-spec" in page and "//cdn" not in page and "https://" not in page.split("<body")[0]
    assert dossier.product_code in page


def test_the_page_shows_the_running_result_and_the_capping_criteria(client, council, in_round):
    round_, dossier = in_round
    sheet = services.sheet_for(dossier, round_.criteria_set)
    choices = _best(sheet)

    def below(criterion):
        marks = [o.points for o in criterion.choices if o.min_star == 4]
        lower = [o for o in criterion.choices if marks and o.points < marks[0] and not o.stops]
        return max(lower, key=lambda o: o.points) if lower else None

    marked = [c for c in sheet.criteria() if below(c)][:2]
    for criterion in marked:
        choices[criterion.code] = below(criterion).code
    services.scoresheet_save(round_, dossier, actor=council["m1"], choices=choices)
    live = scoresheet_live(sheet, choices)
    a, b = (c.code for c in marked)
    assert live["levels"][0] == {"level": 3, "missing": []}
    assert a in live["levels"][1]["missing"] and b in live["levels"][1]["missing"]
    assert live["stars"] == 3
    assert f"3★: tiêu chí {a}, " in live["text"] or f"3★: tiêu chí {a} và {b}" in live["text"]
    client.force_login(council["m1"])
    page = client.get(_url(round_, dossier)).content.decode()
    assert live["text"] in page
    assert f'id="live-total">{live["total"]}<' in page
    assert 'data-level="4" class="missing"' in page and 'data-level="3" class="met"' in page


def test_an_empty_or_stopped_sheet(council, in_round):
    round_, dossier = in_round
    sheet = services.sheet_for(dossier, round_.criteria_set)
    empty = scoresheet_live(sheet, {})
    assert empty["total"] == 0 and empty["stars"] == 1 and empty["text"] == "0 điểm, 1★"
    stopped = scoresheet_live(sheet, _best(sheet) | {"6.1": "6.1.dung"})
    assert stopped["stop"] == "6.1" and stopped["stars"] == 0 and stopped["text"].endswith("loại bỏ hồ sơ")
    assert scoresheet_live(sheet, {"1.1": "nope"})["answered"] == 0


def test_a_stop_option_posted_from_the_page_knocks_the_sheet_out(client, council, in_round):
    round_, dossier = in_round
    sheet = services.sheet_for(dossier, round_.criteria_set)
    data = {f"c-{code}": option for code, option in (_best(sheet) | {"6.1": "6.1.dung"}).items()}
    client.force_login(council["m1"])
    client.post(_url(round_, dossier), data | {"save": "1"})
    saved = dossier.sheets.get()
    assert saved.knocked_out and saved.knockout_kind == "stop"


def test_a_fact_needs_its_evidence_on_the_page(client, council, in_round):
    round_, dossier = in_round
    sheet = services.sheet_for(dossier, round_.criteria_set)
    data = {f"c-{code}": option for code, option in _best(sheet).items()}
    data |= {"knocked_out": "on", "knockout_kind": "fact", "knockout_reason": "Giả mạo", "save": "1"}
    client.force_login(council["m1"])
    page = client.post(_url(round_, dossier), data).content.decode()
    assert "cần ghi chứng cứ" in page
    assert not dossier.sheets.filter(knocked_out=True).exists()
    client.post(_url(round_, dossier), data | {"knockout_evidence": "Phiếu kiểm nghiệm số 12 giả"})
    assert dossier.sheets.get().knockout_kind == "fact"


def test_closing_a_round_asks_for_confirmation(client, council, in_round):
    round_, dossier = in_round
    sheet = services.sheet_for(dossier, round_.criteria_set)
    services.scoresheet_save(round_, dossier, actor=council["m1"], choices=_best(sheet), submit=True)
    client.force_login(council["chair"])
    page = client.get(reverse("evaluation:round_detail", args=[round_.pk])).content.decode()
    assert 'name="confirm"' in page and "required" in page
    response = client.post(reverse("evaluation:round_close", args=[round_.pk]), follow=True)
    assert "Đánh dấu xác nhận trước khi kết thúc đợt." in response.content.decode()
    assert Round.objects.get(pk=round_.pk).status == Round.Status.OPEN
    client.post(reverse("evaluation:round_close", args=[round_.pk]), {"confirm": "on"})
    assert Round.objects.get(pk=round_.pk).status == Round.Status.CLOSED
    page = client.get(reverse("evaluation:round_detail", args=[round_.pk])).content.decode()
    assert (
        "100 điểm, 5★" in client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    )
    assert "Hoàn thành trước ngày" not in page  # an extra round without its own deadline


def test_issuing_a_decision_asks_for_confirmation(client, users, council, in_round):
    round_, dossier = in_round
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED, closed_at=timezone.now())
    Dossier.objects.filter(pk=dossier.pk).update(state=S.SCORED, score=75, stars=4)
    RoundResult.objects.create(
        round=round_, dossier=dossier, sheets_count=1, score=75, lowest=75, highest=75, band_stars=4, stars=4
    )
    client.force_login(users["office"])
    data = {"number": "5/QĐ-UBND", "signed_on": timezone.localdate().strftime("%d/%m/%Y"), "signer_name": "A"}
    response = client.post(reverse("evaluation:round_decide", args=[round_.pk]), data, follow=True)
    assert "Đánh dấu xác nhận trước khi ban hành quyết định." in response.content.decode()
    assert Round.objects.get(pk=round_.pk).status == Round.Status.CLOSED
    client.post(reverse("evaluation:round_decide", args=[round_.pk]), data | {"confirm": "on"})
    assert Round.objects.get(pk=round_.pk).status == Round.Status.DECIDED
    dossier.refresh_from_db()
    assert dossier.state == S.RECOGNISED


def test_rounds_show_their_end_date_and_lateness(client, users, council):
    late = services.round_create(
        name="Đợt 1/2026", year=2026, number=1, chair=council["chair"], members=[], actor=users["office"]
    )
    client.force_login(users["office"])
    page = client.get(reverse("evaluation:round_index")).content.decode()
    assert "30/06/2026" in page and "Trễ hạn" in page  # still open after 30/06/2026
    detail = client.get(reverse("evaluation:round_detail", args=[late.pk])).content.decode()
    assert "Hoàn thành trước ngày" in detail and "Trễ hạn" in detail


def test_the_province_re_evaluates_a_returned_dossier_from_the_round_page(client, users, council, in_round):
    round_, dossier = in_round
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DECIDED)
    Dossier.objects.filter(pk=dossier.pk).update(state=S.RETURNED, ministry_score=Decimal(84))
    client.force_login(users["office"])
    page = client.get(reverse("evaluation:round_detail", args=[round_.pk])).content.decode()
    assert "Tỉnh đánh giá lại" in page
    url = reverse("evaluation:dossier_reevaluate", args=[dossier.pk])
    client.post(url, {"comment": ""})
    assert Dossier.objects.get(pk=dossier.pk).state == S.RETURNED
    client.force_login(council["m1"])
    assert client.post(url, {"comment": "Chấm lại"}).status_code == 403
    client.force_login(users["office"])
    client.post(url, {"comment": "Bổ sung hồ sơ, đánh giá lại"})
    assert Dossier.objects.get(pk=dossier.pk).state == S.PROVINCE_RECEIVED
