import pytest
from django.core.management import call_command

from inspections.models import InspectionPlan, InspectionVisit

pytestmark = pytest.mark.django_db


def test_demo_plan_is_loaded_once():
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
        call_command("load_demo", stdout=quiet)
    plan = InspectionPlan.objects.get()
    assert "(dữ liệu mẫu)" in plan.title and plan.products.count() == 3
    assert InspectionVisit.objects.filter(plan=plan).count() == 3
    assert InspectionVisit.objects.exclude(result="").count() == 1
