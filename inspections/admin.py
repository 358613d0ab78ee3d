from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import InspectionPlan, InspectionVisit


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year")
    list_filter = ("year",)


@admin.register(InspectionVisit)
class InspectionVisitAdmin(SimpleHistoryAdmin):
    list_display = ("product", "plan", "planned_on", "visited_on", "result")
    list_filter = ("result",)
    raw_id_fields = ("product", "violation")
