"""Two council members saving their score sheets at the same moment: both sheets are kept."""

import datetime as dt
import threading

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_score_sheets_lose_nothing(django_db_blocker):
    from django.core.management import call_command

    from accounts.models import Role
    from core.testing import ProductFactory, make_user, make_users
    from evaluation import services
    from evaluation.models import DossierState as S
    from evaluation.models import ScoreSheet
    from evaluation.testing import attach_required_documents
    from geo.models import Commune
    from products.models import Classification

    with open("/dev/null", "w") as quiet:
        call_command("load_reference", stdout=quiet)
    users = make_users({c.code: c for c in Commune.objects.all()})
    members = [make_user(f"tv{i}", Role.COUNCIL_MEMBER) for i in range(4)]
    product = ProductFactory(
        producer=users["own_producer"], category=Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    )
    dossier = services.dossier_create(product, kind="new", actor=users["office"])
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["office"], today=dt.date(2026, 3, 2))
    services.dossier_write_report(
        dossier,
        actor=users["office"],
        report_origin="a",
        report_labour="b",
        report_idea="c",
        report_identity="d",
    )
    attach_required_documents(dossier)
    services.dossier_transition(
        dossier, S.COMMUNE_FORWARDED, actor=users["office"], today=dt.date(2026, 3, 9)
    )
    services.dossier_transition(dossier, S.PROVINCE_RECEIVED, actor=users["office"])
    round_ = services.round_create(
        name="Đợt 1", year=2026, number=1, chair=members[0], members=members[1:], actor=users["office"]
    )
    services.round_assign(round_, [dossier], actor=users["office"])
    sheet_def = services.sheet_for(dossier, round_.criteria_set)
    best = {c.code: max(c.choices, key=lambda o: o.points).code for c in sheet_def.criteria()}

    barrier, errors = threading.Barrier(len(members)), []

    def save(member):
        try:
            barrier.wait(timeout=10)
            for submit in (False, True):  # a draft, then the submission: two writes each
                services.scoresheet_save(round_, dossier, actor=member, choices=best, submit=submit)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    sheets = ScoreSheet.objects.filter(round=round_, dossier=dossier, status="submitted")
    assert sheets.count() == len(members)
    assert {s.total for s in sheets} == {100}
