import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Violation
from inspections.models import InspectionPlan, InspectionVisit

pytestmark = pytest.mark.django_db


def test_office_creates_a_plan_and_records_a_violation(client, users, certified):
    client.force_login(users["office"])
    product = certified["mine"].product
    response = client.post(
        reverse("inspections:plan_new"),
        {
            "year": timezone.localdate().year,
            "title": "Kế hoạch kiểm tra",
            "scope": "",
            "products": [product.pk],
        },
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:plan_detail", args=[plan.pk]
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        reverse("inspections:visit_new", args=[plan.pk]),
        {
            "product": product.pk,
            "planned_on": today,
            "inspectors": "Sở Nông nghiệp",
            "visited_on": today,
            "findings": "Nhãn ghi sai hạng sao",
            "result": "violation",
            "violation_reason": "mark_misuse",
        },
    )
    assert response.status_code == 302
    v = InspectionVisit.objects.get()
    assert v.violation == Violation.objects.get(certificate=certified["mine"])
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "Nhãn ghi sai hạng sao" in page and "hạn thu hồi" in page
    edit = client.get(reverse("inspections:visit_edit", args=[plan.pk, v.pk])).content.decode()
    assert "Vi phạm đã được ghi nhận" in edit and "Lịch sử thay đổi" in edit


def test_form_errors_name_the_field(client, users, plan, certified):
    client.force_login(users["office"])
    response = client.post(
        reverse("inspections:visit_new", args=[plan.pk]),
        {
            "product": certified["mine"].product.pk,
            "planned_on": "01/01/2026",
            "inspectors": "A",
            "result": "violation",
        },
    )
    assert response.status_code == 200
    assert "Ghi ngày kiểm tra khi có kết luận" in response.content.decode()
    assert not InspectionVisit.objects.exists()


def test_product_outside_the_plan_is_refused(client, users, certified):
    from inspections.services import inspection_plan_save

    plan = inspection_plan_save(
        None, year=2026, title="P", products=[certified["mine"].product], actor=users["office"]
    )
    client.force_login(users["office"])
    response = client.post(
        reverse("inspections:visit_new", args=[plan.pk]),
        {"product": certified["other"].product.pk, "planned_on": "01/01/2026", "inspectors": "A"},
    )
    assert response.status_code == 200 and not InspectionVisit.objects.exists()


@pytest.mark.parametrize(
    ("who", "index", "new"),
    [
        ("office", 200, 200),
        ("council", 200, 403),
        ("officer", 200, 403),
        ("producer", 403, 403),
        ("nobody", 403, 403),
    ],
)
def test_access(client, users, plan, who, index, new):
    client.force_login(users[who])
    assert client.get(reverse("inspections:index")).status_code == index
    assert client.get(reverse("inspections:plan_new")).status_code == new
    assert client.get(reverse("inspections:visit_new", args=[plan.pk])).status_code == new


def test_list_query_count_is_constant(client, users, certified, django_assert_max_num_queries):
    from inspections.services import inspection_plan_save

    for n in range(12):
        inspection_plan_save(
            None, year=2026, title=f"P{n}", products=[certified["mine"].product], actor=users["office"]
        )
    client.force_login(users["office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inspections:index"))
    assert response.content.decode().count("/quan-ly/kiem-tra/ke-hoach/") >= 12


def test_dashboard_lists_the_counts(client, users, plan, certified):
    from inspections.services import inspection_visit_save

    today = timezone.localdate()
    inspection_visit_save(
        None,
        plan=plan,
        product=certified["mine"].product,
        planned_on=today,
        inspectors="A",
        actor=users["office"],
    )
    client.force_login(users["office"])
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert "1 lượt kiểm tra theo kế hoạch, 0 lượt đã kiểm tra, 0 vi phạm chờ quyết định thu hồi" in body
    client.force_login(users["producer"])
    assert "Kiểm tra, giám sát sau công nhận" not in client.get(reverse("reports:dashboard")).content.decode()


def test_commune_officer_sees_its_communes_only(client, users, plan, certified):
    from inspections.services import inspection_visit_save

    today = timezone.localdate()
    for product in (certified["mine"].product, certified["other"].product):
        inspection_visit_save(
            None, plan=plan, product=product, planned_on=today, inspectors="Đoàn tỉnh", actor=users["office"]
        )
    client.force_login(users["officer"])
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "Na Chi Lăng" in page and "Thạch đen Thất Khê" not in page
    assert "/luot/" not in page  # reads, does not record
