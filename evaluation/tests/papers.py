"""Shared set-up of the dossier-papers tests (documents, self-assessment, pre-check)."""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.roles import HELPER_TEAM_GROUP
from core.testing import ProductFactory, make_user
from core.testing.files import pdf_bytes
from evaluation import services
from evaluation.models import DossierState
from products.models import Classification

S = DossierState


def product_of(users, code="I.3.c", **kw):
    return ProductFactory(
        producer=users["producer_account_of"],
        name="Thạch đen Chi Lăng",
        category=Classification.objects.get(scheme="QD26-2026", code=code),
        **kw,
    )


def new_dossier(users, **kw):
    return services.dossier_create(product_of(users, **kw), kind="new", actor=users["producer"])


def pdf_upload(name="ban-cong-bo.pdf", extra=b""):
    return SimpleUploadedFile(name, pdf_bytes(extra), content_type="application/pdf")


def helper(username="togiupviec", role=Role.OFFICE):
    user = make_user(username, role)
    user.groups.add(Group.objects.get_or_create(name=HELPER_TEAM_GROUP)[0])
    return user


def with_report(dossier, users):
    services.dossier_write_report(
        dossier,
        actor=users["officer"],
        report_origin="Nguyên liệu tại xã",
        report_labour="10 lao động",
        report_idea="Truyền thống",
        report_identity="Người Tày",
    )


def submitted(dossier, users):
    services.dossier_transition(dossier, S.SUBMITTED, actor=users["producer"], today=dt.date(2026, 3, 2))
    with_report(dossier, users)
    return dossier
