"""Rounds opened on a criteria-set revision without `council_marks_rule` (the per-star-level reading)
move to the revision carrying the decree's rule and are then decided per criterion (migration 0006,
evaluation/revisions.py)."""

import datetime as dt

import pytest

from accounts.models import Role
from core.testing import ProductFactory, make_user
from evaluation import services
from evaluation.models import CriteriaSet, Dossier, DossierState, Round, ScoreSheet
from evaluation.revisions import adopt_council_marks_rule
from evaluation.tests.test_rules_decree import _best, _marked_4
from products.models import Classification

pytestmark = pytest.mark.django_db


def _old_revision(*, active: bool) -> tuple[CriteriaSet, CriteriaSet]:
    """(old revision without the rule, the revision loaded from the data file)."""
    current = services.active_criteria_set()
    document = {k: v for k, v in current.document.items() if not k.startswith("council_marks")}
    if active:  # the data file was never reloaded: the old revision is still the active one
        CriteriaSet.objects.filter(pk=current.pk).update(is_active=False)
    old = CriteriaSet.objects.create(
        code=current.code,
        revision=current.revision + 1 if active else 0,
        is_active=active,
        title=current.title,
        status=current.status,
        document=document,
        source_name="QD26-2026.yaml",
    )
    return old, current


def _open_round(users, criteria_set, name="Đợt 3/2026"):
    """Three members, each missing a different 4★ mark: the per-level reading sinks the product."""
    tag = name.split()[-1].replace("/", "-")
    members = [make_user(f"tv{n}-{tag}", Role.COUNCIL_MEMBER) for n in range(3)]
    product = ProductFactory(
        producer=users["own_producer"],
        name=f"Thạch đen {name}",
        category=Classification.objects.get(scheme="QD26-2026", code="I.3.c"),
    )
    dossier = services.dossier_create(product, kind="new", actor=users["office"])
    Dossier.objects.filter(pk=dossier.pk).update(
        state=DossierState.PROVINCE_RECEIVED, forwarded_on=dt.date(2026, 3, 1)
    )
    round_ = services.round_create(
        name=name,
        year=2026,
        number=3,
        chair=members[0],
        members=members[1:],
        criteria_set=criteria_set,
        actor=users["office"],
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    sheet_def = criteria_set.parsed().sheet_for("I.3.c")
    for member, (code, below) in zip(members, _marked_4(sheet_def)[:3], strict=True):
        services.scoresheet_save(
            round_, dossier, actor=member, choices=_best(sheet_def) | {code: below}, submit=True
        )
    return round_, members[0]


def test_an_old_revision_round_is_decided_per_criterion_after_the_migration(users):
    old, current = _old_revision(active=False)
    round_, chair = _open_round(users, old)
    assert round_.criteria_set.parsed().council_marks_rule == "per_level_majority"

    moved = adopt_council_marks_rule(CriteriaSet, Round, ScoreSheet)

    assert moved == [(round_.pk, old.pk, current.pk)]  # the data file's revision: same sheets, the rule
    round_.refresh_from_db()
    assert round_.criteria_set == current
    assert set(ScoreSheet.objects.filter(round=round_).values_list("criteria_set", flat=True)) == {current.pk}
    (result,) = services.round_close(round_, actor=chair)
    assert result.missed_marks == {} and result.blocked_by == []
    assert result.stars == result.band_stars >= 4  # per level, three sheets missing 4★ gave 3★
    assert adopt_council_marks_rule(CriteriaSet, Round, ScoreSheet) == []  # once is enough


def test_without_a_revision_carrying_the_rule_one_is_made_and_becomes_active(users):
    old, current = _old_revision(active=True)
    CriteriaSet.objects.filter(pk=current.pk).update(document={**current.document, "sheets": []})
    round_, chair = _open_round(users, old)

    ((_, _, new_pk),) = adopt_council_marks_rule(CriteriaSet, Round, ScoreSheet)

    new = CriteriaSet.objects.get(pk=new_pk)
    assert new.pk not in (old.pk, current.pk) and new.revision == old.revision + 1
    assert new.is_active and not CriteriaSet.objects.get(pk=old.pk).is_active
    assert new.document["sheets"] == old.document["sheets"]
    assert new.parsed().council_marks_rule == "per_criterion_majority"
    (result,) = services.round_close(Round.objects.get(pk=round_.pk), actor=chair)
    assert result.missed_marks == {} and result.stars >= 4


def test_closed_rounds_and_rounds_with_the_rule_are_left_alone(users):
    old, current = _old_revision(active=False)
    closed, chair = _open_round(users, old, name="Đợt 3/2026")
    (result,) = services.round_close(closed, actor=chair)
    assert result.stars == 3 and result.blocked_by == [4]  # closed under the old reading: kept as is
    fresh, _chair = _open_round(users, current, name="Đợt 4/2026")
    assert adopt_council_marks_rule(CriteriaSet, Round, ScoreSheet) == []
    closed.refresh_from_db()
    fresh.refresh_from_db()
    assert closed.criteria_set == old and fresh.criteria_set == current
