import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import CriteriaSet, Dossier, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    from accounts.models import User

    return {u.username: u for u in User.objects.all()}


def test_every_evaluation_page_opens_for_the_office(client, demo):
    client.force_login(demo["vanphong"])
    dossier = Dossier.objects.filter(state="recognised").first()
    round_ = Round.objects.get(name__startswith="Phiếu chấm minh họa")
    qd26 = CriteriaSet.objects.get(code="QD26-2026")
    for url in (
        reverse("evaluation:dossier_index"),
        reverse("evaluation:dossier_new"),
        reverse("evaluation:dossier_detail", args=[dossier.pk]),
        reverse("evaluation:round_index"),
        reverse("evaluation:round_new"),
        reverse("evaluation:round_detail", args=[round_.pk]),
        reverse("evaluation:round_detail", args=[round_.pk]) + "?in=1",
        reverse("evaluation:advisor_province"),
        reverse("evaluation:advisor", args=[dossier.product_id]),
        reverse("evaluation:criteria_index"),
        reverse("evaluation:criteria_sheet", args=[qd26.pk, 26]),
    ):
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("evaluation:round_export", args=[round_.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_advisor_shows_each_demo_products_gap(client, demo):
    client.force_login(demo["canbo.chilang"])
    dossier = Dossier.objects.get(product__name="Na dai xã Chi Lăng")
    body = client.get(reverse("evaluation:advisor", args=[dossier.product_id])).content.decode()
    assert "Để đạt 5 sao cần tối thiểu 90 điểm" in body
    assert "Lộ trình ngắn nhất đề xuất" in body
    # The producer account of another producer may not read it.
    client.force_login(demo["chuthe.luavy"])
    assert client.get(reverse("evaluation:advisor", args=[dossier.product_id])).status_code == 403


def test_council_member_cannot_manage_rounds(client, demo):
    client.force_login(demo["hoidong"])
    assert client.get(reverse("evaluation:round_new")).status_code == 403
    assert client.get(reverse("evaluation:round_index")).status_code == 200
    client.force_login(demo["canbo.chilang"])
    assert client.get(reverse("evaluation:round_index")).status_code == 403


def test_uploading_a_broken_criteria_set_names_every_problem(client, demo):
    client.force_login(demo["vanphong"])
    document = CriteriaSet.objects.get(code="QD26-2026", is_active=True).document
    broken = dict(document, sheets=[dict(document["sheets"][0], number=99)] + document["sheets"][1:])
    upload = SimpleUploadedFile("qd26.yaml", yaml.safe_dump(broken, allow_unicode=True).encode())
    body = client.post(reverse("evaluation:criteria_index"), {"file": upload}).content.decode()
    assert "bị từ chối toàn bộ" in body
    assert CriteriaSet.objects.filter(code="QD26-2026").count() == 1


def test_uploading_the_excel_template_of_the_same_set_changes_nothing(client, demo, tmp_path):
    from evaluation.criteria import export_criteria_set_xlsx

    current = CriteriaSet.objects.get(code="QD26-2026", is_active=True)
    path = tmp_path / "qd26.xlsx"
    export_criteria_set_xlsx(current.parsed(), path)
    client.force_login(demo["vanphong"])
    response = client.post(
        reverse("evaluation:criteria_index"),
        {"file": SimpleUploadedFile("qd26.xlsx", path.read_bytes())},
        follow=True,
    )
    assert "Bộ tiêu chí không thay đổi." in response.content.decode()
    assert CriteriaSet.objects.filter(code="QD26-2026").count() == 1


def test_a_malformed_certificate_in_the_new_dossier_link_is_ignored(users, client):
    """?certificate=abc reached the database (ValueError: a 500); now a non-numeric id is ignored."""
    from core.testing import ProductFactory
    from products.models import Classification

    leaf = Classification.objects.get(scheme="QD26-2026", code="I.1.a")
    product = ProductFactory(producer=users["own_producer"], category=leaf)
    client.force_login(users["office"])
    url = reverse("evaluation:dossier_new") + "?certificate=abc"
    response = client.post(url, {"product": product.pk, "kind": "new"})
    assert response.status_code == 302, response.context["form"].errors
    assert Dossier.objects.get(product=product).renews_id is None
