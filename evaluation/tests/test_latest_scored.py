"""Dossier.is_latest_scored and star_gap (issue 15: the advisor list's index) always equal their
definitions, whatever sequence of services ran; the daily reconcile repairs writes that bypass
the services."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from core.testing import ProductFactory, make_user
from evaluation import services
from evaluation.models import Dossier, DossierState, Round
from evaluation.selectors import advisor_rows
from evaluation.stars import STAR_BANDS, star_gap
from evaluation.tests.test_services import choose, received
from products.models import Classification

pytestmark = pytest.mark.django_db
S = DossierState


def expected_latest() -> set[int]:
    """The definition read directly: per product, the newest (created_at, id) dossier with a
    score that is not a refusal."""
    latest = {}
    for d in Dossier.objects.all():
        if d.score is None or d.state == S.NOT_RECOGNISED:
            continue
        key = (d.created_at, d.pk)
        if d.product_id not in latest or key > latest[d.product_id][0]:
            latest[d.product_id] = (key, d.pk)
    return {pk for _key, pk in latest.values()}


def assert_kept():
    assert (
        set(Dossier.objects.filter(is_latest_scored=True).values_list("pk", flat=True)) == expected_latest()
    )
    for d in Dossier.objects.all():
        assert d.star_gap == star_gap(d.score, d.stars), d


def score(dossier, chair, office, points: int) -> Dossier:
    """Through a round of its own (an extra round: no cut-off), scored `points` and closed."""
    n = Round.objects.count() + 1
    round_ = services.round_create(
        name=f"Đợt bổ sung {n}", year=2026, number=3, chair=chair, members=[], actor=office
    )
    services.round_assign(round_, [dossier], actor=office)
    sheet = services.sheet_for(dossier, round_.criteria_set)
    services.scoresheet_save(round_, dossier, actor=chair, choices=choose(sheet, points), submit=True)
    services.round_close(round_, actor=chair)
    return Dossier.objects.get(pk=dossier.pk)


def test_star_gap_is_the_distance_to_the_next_stars_floor():
    floors = dict(STAR_BANDS)
    assert star_gap(None, 3) is None and star_gap(Decimal("95"), 5) is None
    assert star_gap(Decimal("45.35"), None) == floors[3] - Decimal("45.35")  # 0★: aims at 3★
    assert star_gap(Decimal("30"), 2) == Decimal(20)
    assert star_gap(Decimal("65.5"), 3) == Decimal("4.5")
    assert star_gap(Decimal("89.99"), 4) == Decimal("0.01")
    assert star_gap(Decimal("92"), 4) == 0  # 4★ capped by its marks: already past 5★'s floor


def test_any_sequence_of_services_keeps_the_marker(users, communes):
    """Random walks through the workflow (scores, refusals, the Ministry, its returns and
    re-evaluations, new and upgrade dossiers) on three products: after every step the stored
    marker and gap equal the definition, and the advisor list is the rule read in Python."""
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    council = {"chair": make_user("chair", "council_member")}
    office = users["office"]
    products = [ProductFactory(producer=users["own_producer"], category=leaf) for _ in range(3)]
    rng = random.Random(15)
    decision = iter(range(1, 1000))
    chair = council["chair"]

    def sign():
        return {
            "number": f"{next(decision)}/QĐ-UBND",
            "signed_on": dt.date(2026, 6, 20),
            "signer_name": "Chủ tịch",
        }

    steps = 0
    while steps < 40:
        product = rng.choice(products)
        dossier = product.dossiers.order_by("-created_at", "-id").first()
        state = dossier.state if dossier else None
        if state is None or state in (S.NOT_RECOGNISED, S.RECOGNISED, S.RECOGNISED_5_STAR, S.KEPT):
            current = product.certificates.filter(is_current=True).first()
            if current is not None and current.stars >= 5:
                continue  # nothing left to apply for
            kind = "upgrade" if current is not None and current.is_valid else "new"
            score(received(product, users, kind=kind), chair, office, rng.choice([40, 62, 75, 88, 95]))
        elif state == S.SCORED:
            services.round_decide(dossier.round, actor=office, **sign())
        elif state == S.SENT_TO_MINISTRY:
            points = Decimal(rng.choice([45, 60, 84, 93]))
            services.ministry_result(dossier, score=points, actor=office, **sign())
        elif state == S.RETURNED:
            if rng.random() < 0.5:
                services.dossier_reevaluate_returned(dossier, actor=office, comment="Đánh giá lại")
            else:
                services.province_certify_returned(dossier, actor=office, **sign())
        elif state == S.PROVINCE_RECEIVED:
            score(dossier, chair, office, rng.choice([40, 62, 75, 88, 95]))
        steps += 1
        assert_kept()
    states = set(Dossier.objects.values_list("state", flat=True))
    assert {S.NOT_RECOGNISED, S.RECOGNISED} <= states  # the walk met refusals and certificates
    assert Dossier.objects.filter(is_latest_scored=False, score__isnull=False).exists()  # older scores
    rows = list(advisor_rows(office))
    assert rows == sorted(
        (d for d in Dossier.objects.filter(pk__in=expected_latest()) if (d.stars or 0) < 5),
        key=lambda d: (star_gap(d.score, d.stars), -d.score, d.pk),
    )


def test_the_reconcile_repairs_writes_that_bypass_the_services(users, communes):
    """Rows written directly (a bulk load, a bare update of scores, dates or states): the daily
    reconcile brings the marker back to the definition and says how many rows it changed."""
    rng = random.Random(7)
    start = timezone.now() - dt.timedelta(days=400)
    states = [S.RECOGNISED, S.SCORED, S.NOT_RECOGNISED]
    for _ in range(12):
        product = ProductFactory(producer=users["own_producer"])
        for _k in range(rng.randint(1, 4)):
            Dossier.objects.create(
                product=product,
                state=rng.choice(states),
                score=Decimal(rng.randint(3000, 9999)) / 100 if rng.random() < 0.85 else None,
                stars=rng.choice([None, 2, 3, 4, 5]),
                # Not in id order: the newest dossier is not always the highest id.
                created_at=start + dt.timedelta(days=rng.randint(0, 300)),
            )
    assert not Dossier.objects.filter(is_latest_scored=True).exists()  # created around the services
    wanted = expected_latest()
    assert services.latest_scored_reconcile() == len(wanted) > 0
    assert_kept()
    assert services.latest_scored_reconcile() == 0
    # A bare update refuses some dossiers and moves others in time: the reconcile follows.
    Dossier.objects.filter(pk__in=sorted(wanted)[::2]).update(state=S.NOT_RECOGNISED)
    Dossier.objects.filter(pk__in=sorted(wanted)[1::3]).update(created_at=start - dt.timedelta(days=1))
    assert services.latest_scored_reconcile() > 0
    assert_kept()
    assert services.latest_scored_refresh(Dossier.objects.values_list("product_id", flat=True)) == 0


def test_a_stale_instance_saved_later_keeps_the_marker(users):
    """A dossier read before a newer one of its product was scored, then saved (any edit): the
    save writes every field but is_latest_scored."""
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    council = {"chair": make_user("chair", "council_member")}
    product = ProductFactory(producer=users["own_producer"], category=leaf)
    office = users["office"]
    first = score(received(product, users), council["chair"], office, 95)
    signed = {"signed_on": dt.date(2026, 6, 20), "signer_name": "Chủ tịch"}
    services.round_decide(first.round, number="1/QĐ", actor=office, **signed)
    services.ministry_result(first, score=Decimal(84), actor=office)  # returned: 4★ by the province
    services.province_certify_returned(first, number="2/QĐ", actor=office, **signed)
    stale = Dossier.objects.get(pk=first.pk)
    assert stale.state == S.RECOGNISED and stale.is_latest_scored
    second = score(received(product, users, kind="upgrade"), council["chair"], office, 75)
    assert second.kind == "upgrade" and second.is_latest_scored
    stale.registration_note = "Sửa ghi chú"
    stale.save()
    assert not Dossier.objects.get(pk=first.pk).is_latest_scored
    assert_kept()
