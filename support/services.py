"""Writes to training and support: each validates, runs in one transaction and records who did it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import AuditReason
from core.services import assign, attribute, full_clean, require_perm
from support.models import Attendance, Course, Grant, Programme

PROGRAMME_FIELDS = (
    "name",
    "category",
    "description",
    "funder",
    "start_date",
    "end_date",
    "budget",
    "is_sample",
)
GRANT_FIELDS = ("producer", "programme", "product", "amount", "granted_on", "note", "is_sample")
COURSE_FIELDS = ("title", "topic", "start_date", "end_date", "trainer", "place", "description", "is_sample")


def _dates_errors(obj) -> dict:
    if obj.start_date and obj.end_date and obj.end_date < obj.start_date:
        return {"end_date": [_("Ngày kết thúc không được trước ngày bắt đầu.")]}
    return {}


def _clean(obj, errors: dict) -> None:
    """Every error at once; when the service already named a field, the database constraint
    saying the same is not repeated at the top."""
    if errors:
        try:
            obj.full_clean(validate_constraints=False)
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                errors.setdefault(key, []).extend(msgs)
        raise ValidationError(errors)
    full_clean(obj)


@transaction.atomic
def programme_save(programme: Programme | None, *, actor, **data) -> Programme:
    require_perm(actor, "support.change_programme" if programme else "support.add_programme")
    programme = Programme.objects.select_for_update().get(pk=programme.pk) if programme else Programme()
    assign(programme, data, PROGRAMME_FIELDS)
    programme.name = " ".join((programme.name or "").split())
    errors = _dates_errors(programme)
    if programme.budget is not None and programme.budget < 0:
        errors["budget"] = [_("Kinh phí không được là số âm.")]
    _clean(programme, errors)
    attribute(programme, actor, AuditReason.UPDATED if programme.pk else AuditReason.CREATED)
    programme.save()
    return programme


def _grant_errors(grant: Grant) -> dict:
    errors: dict = {}
    if grant.amount is not None and grant.amount < 0:
        errors["amount"] = [_("Kinh phí hỗ trợ không được là số âm.")]
    if grant.granted_on and grant.granted_on > timezone.localdate():
        errors["granted_on"] = [_("Ngày hỗ trợ không được sau hôm nay.")]
    if grant.product_id and grant.producer_id and grant.product.producer_id != grant.producer_id:
        errors["product"] = [_("Sản phẩm không thuộc chủ thể được hỗ trợ.")]
    if grant.programme_id and grant.granted_on and grant.granted_on < grant.programme.start_date:
        errors["granted_on"] = [
            _("Ngày hỗ trợ trước ngày bắt đầu chương trình (%(date)s).")
            % {"date": grant.programme.start_date.strftime("%d/%m/%Y")}
        ]
    return errors


@transaction.atomic
def grant_save(grant: Grant | None, *, actor, **data) -> Grant:
    require_perm(actor, "support.change_grant" if grant else "support.add_grant")
    grant = Grant.objects.select_for_update().get(pk=grant.pk) if grant else Grant()
    assign(grant, data, GRANT_FIELDS)
    _clean(grant, _grant_errors(grant))
    attribute(grant, actor, AuditReason.UPDATED if grant.pk else AuditReason.GRANT_RECORDED)
    grant.save()
    return grant


@transaction.atomic
def grant_delete(grant: Grant, *, actor) -> None:
    require_perm(actor, "support.change_grant", grant)
    attribute(grant, actor, AuditReason.DELETED)
    grant.delete()


@transaction.atomic
def course_save(course: Course | None, *, actor, **data) -> Course:
    require_perm(actor, "support.change_course" if course else "support.add_course")
    course = Course.objects.select_for_update().get(pk=course.pk) if course else Course()
    assign(course, data, COURSE_FIELDS)
    course.title = " ".join((course.title or "").split())
    _clean(course, _dates_errors(course))
    attribute(course, actor, AuditReason.UPDATED if course.pk else AuditReason.CREATED)
    course.save()
    return course


@transaction.atomic
def attendance_add(
    course: Course, producer, *, actor, people: int = 1, attended: bool = False, note: str = ""
):
    require_perm(actor, "support.manage_attendance", course)
    attendance = Attendance(
        course=course, producer=producer, people=people or 1, attended=attended, note=note
    )
    errors = {}
    if attended and course.start_date > timezone.localdate():
        errors["attended"] = [_("Khóa đào tạo chưa diễn ra: chưa thể ghi đã tham dự.")]
    full_clean(attendance, errors)
    attribute(attendance, actor, AuditReason.TRAINEE_ADDED)
    attendance.save()
    return attendance


@transaction.atomic
def attendance_mark(course: Course, attended_ids, *, actor) -> int:
    """Mark exactly the attendances in `attended_ids` as attended (roll call); returns changes."""
    require_perm(actor, "support.manage_attendance", course)
    attended_ids = {int(i) for i in attended_ids}
    if attended_ids and course.start_date > timezone.localdate():
        raise ValidationError(_("Khóa đào tạo chưa diễn ra: chưa thể điểm danh."))
    changed = 0
    for attendance in course.attendances.select_for_update():
        value = attendance.pk in attended_ids
        if attendance.attended != value:
            attendance.attended = value
            attribute(attendance, actor, AuditReason.ATTENDANCE_TAKEN)
            attendance.save()
            changed += 1
    return changed


@transaction.atomic
def attendance_remove(attendance: Attendance, *, actor) -> None:
    require_perm(actor, "support.manage_attendance", attendance.course)
    attribute(attendance, actor, AuditReason.TRAINEE_REMOVED)
    attendance.delete()
