"""Training and support pages (/quan-ly/ho-tro/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.sheet_writer import Column, Sheet, sheets_response
from core.web import change_log, check, form_page, staff_required
from producers.models import Producer
from support import forms as f
from support.models import Course, Grant, Programme
from support.selectors import (
    attendances_visible_to,
    course_list,
    grants_visible_to,
    programme_list,
    support_for_producer,
    support_totals,
    support_years,
)
from support.services import (
    attendance_add,
    attendance_mark,
    attendance_remove,
    course_save,
    grant_delete,
    grant_save,
    programme_save,
)


@staff_required
def index(request):
    check(request.user, "support.view_programme")
    user = request.user
    return render(
        request,
        "support/index.html",
        {
            "programmes": programme_list(),
            "courses": course_list()[:30],
            "today": timezone.localdate(),
            "can_manage": user.has_perm("support.add_programme"),
            "can_totals": user.has_perm("support.view_totals"),
            "own_producer": user.producer_id if user.role == "producer" else None,
        },
    )


# Programmes and grants ---------------------------------------------------------------------------------


@staff_required
def programme_edit(request, pk=None):
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    check(request.user, "support.change_programme" if programme else "support.add_programme")
    return form_page(
        request,
        f.ProgrammeForm(request.POST or None, instance=programme),
        # The form has copied the values onto `programme`: the service gets the stored row.
        lambda data: programme_save(Programme.objects.get(pk=pk) if pk else None, actor=request.user, **data),
        done=lambda saved: (
            _("Đã lưu chương trình %(name)s.") % {"name": saved.name},
            reverse("support:programme_detail", args=[saved.pk]),
        ),
        title=_("Sửa chương trình hỗ trợ") if programme else _("Thêm chương trình hỗ trợ"),
        cancel=reverse("support:programme_detail", args=[pk]) if pk else reverse("support:index"),
    )


@staff_required
def programme_detail(request, pk):
    check(request.user, "support.view_programme")
    programme = get_object_or_404(Programme, pk=pk)
    grants = list(
        grants_visible_to(request.user)
        .filter(programme=programme)
        .select_related("producer", "producer__commune", "product")
        .order_by("-granted_on", "-pk")
    )
    return render(
        request,
        "support/programme_detail.html",
        {
            "programme": programme,
            "grants": grants,
            "total": sum(g.amount for g in grants),
            "can_change": request.user.has_perm("support.change_programme", programme),
            "can_grant": request.user.has_perm("support.add_grant"),
            "history": change_log(programme) if request.user.has_perm("support.change_programme") else None,
        },
    )


@staff_required
def grant_edit(request, pk=None):
    grant = get_object_or_404(Grant, pk=pk) if pk else None
    check(request.user, "support.change_grant" if grant else "support.add_grant")
    initial = (
        {k: request.GET[k] for k in ("producer", "programme") if request.GET.get(k)} if not grant else None
    )
    return form_page(
        request,
        f.GrantForm(request.POST or None, instance=grant, initial=initial),
        lambda data: grant_save(Grant.objects.get(pk=pk) if pk else None, actor=request.user, **data),
        done=lambda saved: (
            _("Đã ghi nhận khoản hỗ trợ cho %(name)s.") % {"name": saved.producer.name},
            reverse("support:producer", args=[saved.producer_id]),
        ),
        title=_("Sửa khoản hỗ trợ") if grant else _("Ghi nhận khoản hỗ trợ"),
        cancel=reverse("support:index"),
    )


@staff_required
def grant_remove(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    check(request.user, "support.change_grant", grant)
    if request.method == "POST":
        grant_delete(grant, actor=request.user)
        messages.success(request, _("Đã xóa khoản hỗ trợ."))
    return redirect("support:producer", pk=grant.producer_id)


# Courses ---------------------------------------------------------------------------------------------


@staff_required
def course_edit(request, pk=None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    check(request.user, "support.change_course" if course else "support.add_course")
    return form_page(
        request,
        f.CourseForm(request.POST or None, instance=course),
        lambda data: course_save(Course.objects.get(pk=pk) if pk else None, actor=request.user, **data),
        done=lambda saved: (
            _("Đã lưu khóa đào tạo %(name)s.") % {"name": saved.title},
            reverse("support:course_detail", args=[saved.pk]),
        ),
        title=_("Sửa khóa đào tạo") if course else _("Thêm khóa đào tạo"),
        cancel=reverse("support:course_detail", args=[pk]) if pk else reverse("support:index"),
    )


@staff_required
def course_detail(request, pk):
    check(request.user, "support.view_course")
    course = get_object_or_404(Course, pk=pk)
    can_manage = request.user.has_perm("support.manage_attendance", course)
    attendances = list(
        attendances_visible_to(request.user)
        .filter(course=course)
        .select_related("producer", "producer__commune")
        .order_by("producer__name", "pk")
    )
    add_form = f.AttendanceAddForm(course=course) if can_manage else None
    return render(
        request,
        "support/course_detail.html",
        {
            "course": course,
            "attendances": attendances,
            "add_form": add_form,
            "can_manage": can_manage,
            "can_change": request.user.has_perm("support.change_course", course),
            "started": course.start_date <= timezone.localdate(),
            "history": change_log(course) if can_manage else None,
        },
    )


@staff_required
def attendance_new(request, pk):
    course = get_object_or_404(Course, pk=pk)
    check(request.user, "support.manage_attendance", course)
    back = reverse("support:course_detail", args=[pk])

    def save(data):
        attendance_add(
            course,
            data["producer"],
            actor=request.user,
            people=data["people"],
            attended=data["attended"],
            note=data["note"],
        )
        return data["producer"]

    return form_page(
        request,
        f.AttendanceAddForm(request.POST or None, course=course),
        save,
        done=lambda producer: (_("Đã thêm %(name)s vào khóa đào tạo.") % {"name": producer.name}, back),
        title=_("Thêm học viên: %(name)s") % {"name": course.title},
        cancel=back,
    )


@staff_required
def attendance_roll(request, pk):
    course = get_object_or_404(Course, pk=pk)
    check(request.user, "support.manage_attendance", course)
    if request.method == "POST":
        try:
            n = attendance_mark(course, request.POST.getlist("attended"), actor=request.user)
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                ngettext("Đã lưu điểm danh (%(n)s thay đổi).", "Đã lưu điểm danh (%(n)s thay đổi).", n)
                % {"n": n},
            )
    return redirect("support:course_detail", pk=pk)


@staff_required
def attendance_delete(request, pk, attendance_pk):
    course = get_object_or_404(Course, pk=pk)
    check(request.user, "support.manage_attendance", course)
    attendance = get_object_or_404(course.attendances, pk=attendance_pk)
    if request.method == "POST":
        attendance_remove(attendance, actor=request.user)
        messages.success(request, _("Đã xóa học viên khỏi khóa đào tạo."))
    return redirect("support:course_detail", pk=pk)


# A producer's support ----------------------------------------------------------------------------------


@staff_required
def producer(request, pk):
    producer = get_object_or_404(Producer.objects.select_related("commune"), pk=pk)
    check(request.user, "support.view_producer_support", producer)
    return render(
        request,
        "support/producer.html",
        {
            "producer": producer,
            "support": support_for_producer(producer),
            "can_grant": request.user.has_perm("support.add_grant"),
            "can_change_grant": request.user.has_perm("support.change_grant"),
        },
    )


# Totals ----------------------------------------------------------------------------------------------


def _year(request) -> tuple[int, list[int]]:
    years = support_years()
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = None
    return (year if year in years else years[0]), years


@staff_required
def totals(request):
    check(request.user, "support.view_totals")
    year, years = _year(request)
    return render(request, "support/totals.html", {"t": support_totals(year), "year": year, "years": years})


@staff_required
def totals_export(request):
    check(request.user, "support.view_totals")
    year, _years = _year(request)
    t = support_totals(year)

    def sheet(title, first, rows):
        return Sheet(
            title,
            [
                Column("STT", "int"),
                Column(first),
                Column("Số khoản hỗ trợ", "int"),
                Column("Số chủ thể", "int"),
                Column("Kinh phí (đồng)", "money"),
            ],
            [[n, r.label, r.grants, r.producers, r.amount] for n, r in enumerate(rows, start=1)],
            title=f"Hỗ trợ chủ thể OCOP năm {year} – {title.lower()}",
            totals=["", "Tổng cộng", t.grants, t.producers, t.amount],
        )

    overview = Sheet(
        "Tổng hợp",
        [Column("Chỉ tiêu"), Column("Giá trị", "money")],
        [
            ["Năm", str(year)],  # text: a year is not grouped as an amount
            ["Số khoản hỗ trợ", t.grants],
            ["Số chủ thể được hỗ trợ", t.producers],
            ["Tổng kinh phí hỗ trợ (đồng)", t.amount],
            ["Số khóa đào tạo", t.courses],
            ["Số lượt chủ thể đăng ký đào tạo", t.course_producers],
            ["Số lượt chủ thể đã tham dự", t.course_attended],
            ["Số người đã tham dự", t.course_people],
        ],
        title=f"Đào tạo, hỗ trợ chủ thể OCOP năm {year}",
        autofilter=False,
    )
    return sheets_response(
        f"ho-tro-ocop-{year}.xlsx",
        [
            overview,
            sheet("Theo chương trình", "Chương trình", t.by_programme),
            sheet("Theo xã, phường", "Xã/phường", t.by_commune),
            sheet("Theo lĩnh vực", "Lĩnh vực hỗ trợ", t.by_category),
        ],
    )
