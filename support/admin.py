from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from support.models import Attendance, Course, Grant, Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "start_date", "end_date", "budget", "is_sample"]
    list_filter = ["category", "is_sample"]
    search_fields = ["name", "funder"]


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ["producer", "programme", "amount", "granted_on", "is_sample"]
    list_filter = ["programme__category", "is_sample"]
    search_fields = ["producer__name", "programme__name"]
    raw_id_fields = ["producer", "product"]
    date_hierarchy = "granted_on"


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["producer"]


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "topic", "start_date", "end_date", "place", "is_sample"]
    list_filter = ["topic", "is_sample"]
    search_fields = ["title", "trainer", "place"]
    inlines = [AttendanceInline]
