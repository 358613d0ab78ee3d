import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certificates.models import RevocationReason, Violation
from certificates.services import certificate_issue
from core.testing import ProductFactory
from inspections.models import InspectionVisit, VisitResult
from inspections.selectors import inspection_summary, open_findings, plan_list
from inspections.services import inspection_plan_save, inspection_visit_save

pytestmark = pytest.mark.django_db


def visit(plan, product, actor, visit=None, **kw):
    data = {"planned_on": timezone.localdate(), "inspectors": "Đoàn liên ngành tỉnh"} | kw
    return inspection_visit_save(visit, plan=plan, product=product, actor=actor, **data)


def test_plan_is_kept_with_history(users, plan, certified):
    assert set(plan.products.all()) == {certified["mine"].product, certified["other"].product}
    plan = inspection_plan_save(plan, year=plan.year, title="Kế hoạch (sửa)", actor=users["office"])
    assert plan.products.count() == 0
    reasons = [h.history_change_reason for h in plan.history.all()]  # m2m changes add records
    assert reasons[0] == "Cập nhật" and reasons[-1] == "Tạo mới" and set(reasons) == {"Cập nhật", "Tạo mới"}
    assert plan.history.first().history_user == users["office"]


@pytest.mark.parametrize("who", ["officer", "council", "producer"])
def test_only_the_office_plans_and_records(users, plan, certified, who):
    with pytest.raises(PermissionDenied):
        inspection_plan_save(None, year=2026, title="X", actor=users[who])
    with pytest.raises(PermissionDenied):
        visit(plan, certified["mine"].product, users[who])


def test_planned_then_done_compliant(users, plan, certified):
    v = visit(plan, certified["mine"].product, users["office"])
    assert not v.is_done
    today = timezone.localdate()
    v = visit(plan, v.product, users["office"], v, visited_on=today, findings="Nhãn đúng", result="compliant")
    assert v.is_done and v.violation is None
    assert v.history.first().history_change_reason == "Ghi kết quả"
    assert not Violation.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"result": "compliant", "findings": "x"}, "visited_on"),  # a result needs the visit's date
        ({"visited_on": "today", "findings": "x"}, "result"),  # a date needs a result
        ({"visited_on": "today", "result": "compliant"}, "findings"),
        ({"visited_on": "tomorrow", "result": "compliant", "findings": "x"}, "visited_on"),
        ({"visited_on": "today", "result": "violation", "findings": "x"}, "violation_reason"),
    ],
)
def test_result_refused_when_incomplete(users, plan, certified, kw, field):
    days = {"today": timezone.localdate(), "tomorrow": timezone.localdate() + dt.timedelta(days=1)}
    kw = {k: days.get(v, v) for k, v in kw.items()}
    with pytest.raises(ValidationError) as exc:
        visit(plan, certified["mine"].product, users["office"], **kw)
    assert field in exc.value.message_dict
    assert not InspectionVisit.objects.exists() and not Violation.objects.exists()


def test_violation_finding_starts_revocation(users, plan, certified):
    today = timezone.localdate()
    v = visit(
        plan,
        certified["mine"].product,
        users["office"],
        visited_on=today,
        findings="Dùng biểu trưng OCOP 5 sao trên nhãn sản phẩm 4 sao",
        result=VisitResult.VIOLATION,
        violation_reason=RevocationReason.MARK_MISUSE,
    )
    violation = v.violation
    assert violation.certificate == certified["mine"] and violation.reason == "mark_misuse"
    assert violation.found_on == today and violation.due_on == today + dt.timedelta(days=15)
    assert "biểu trưng OCOP 5 sao" in violation.details and plan.title in violation.details
    assert list(open_findings(users["office"])) == [v]
    # Saving again records nothing more; the conclusion can no longer be changed.
    visit(plan, v.product, users["office"], v, visited_on=today, findings="thêm", result="violation")
    assert Violation.objects.count() == 1
    with pytest.raises(ValidationError, match="không đổi kết luận"):
        visit(plan, v.product, users["office"], v, visited_on=today, findings="x", result="compliant")
    # Once the revocation decision settles it, the finding is no longer open.
    Violation.objects.filter(pk=violation.pk).update(revocation_decision=_decision())
    assert not open_findings(users["office"]).exists()


def _decision():
    from certificates.models import Decision

    return Decision.objects.create(number="9/QĐ-UBND", signed_on=timezone.localdate(), kind="revocation")


def test_violation_refused_without_current_certificate(users, plan):
    product = ProductFactory(producer=users["own_producer"])
    with pytest.raises(ValidationError, match="không có giấy chứng nhận"):
        visit(
            plan,
            product,
            users["office"],
            visited_on=timezone.localdate(),
            findings="x",
            result="violation",
            violation_reason="violation",
        )
    assert not Violation.objects.exists() and not InspectionVisit.objects.exists()


def test_violation_before_certificate_issue_is_refused_whole(users, plan):
    product = ProductFactory(producer=users["own_producer"])
    certificate_issue(product, stars=3, issued_on=timezone.localdate(), actor=users["office"])
    with pytest.raises(ValidationError, match="không được trước ngày cấp"):
        visit(
            plan,
            product,
            users["office"],
            visited_on=timezone.localdate() - dt.timedelta(days=3),
            findings="x",
            result="violation",
            violation_reason="violation",
        )
    assert not Violation.objects.exists() and not InspectionVisit.objects.exists()


def test_counts_scoped_by_role(users, plan, certified, django_assert_max_num_queries):
    today = timezone.localdate()
    visit(plan, certified["mine"].product, users["office"])
    visit(
        plan, certified["other"].product, users["office"], visited_on=today, findings="ok", result="compliant"
    )
    visit(
        plan,
        certified["other"].product,
        users["office"],
        visited_on=today,
        findings="x",
        result="violation",
        violation_reason="violation",
    )
    assert inspection_summary(users["office"]) == {"planned": 1, "done": 2, "open_findings": 1}
    assert inspection_summary(users["officer"]) == {"planned": 1, "done": 0, "open_findings": 0}
    assert inspection_summary(users["producer"]) == {"planned": 0, "done": 0, "open_findings": 0}
    with django_assert_max_num_queries(1):
        row = plan_list(users["office"]).get()
    assert (row.planned_count, row.done_count, row.open_count, row.product_count) == (1, 2, 1, 2)
    assert plan_list(users["officer"]).get().done_count == 0
