import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import ProducerFactory, ProductFactory, valid_tax_code
from producers.models import Producer
from products.models import Classification, Product

pytestmark = pytest.mark.django_db


def test_producer_form_errors_name_the_field_and_write_nothing(client, users):
    client.force_login(users["officer"])
    response = client.post(
        reverse("backoffice:producer_new"),
        {
            "name": "HTX Mới",
            "kind": "htx",
            "registration_code": "0300588568",
            "commune": users["chi_lang"].pk,
            "phone": "12",
            "email": "x@",
            "founding_year": "3000",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mã số đăng ký/mã số thuế: Mã số thuế 0300588568 sai chữ số kiểm tra" in body
    assert "Điện thoại:" in body and "Thư điện tử:" in body and "Năm thành lập:" in body
    assert not Producer.objects.filter(name="HTX Mới").exists()


def test_producer_form_takes_a_producer_without_registration_code(client, users):
    # A tổ hợp tác has no tax code: the registry stores it (the worklist flags "thiếu mã số").
    client.force_login(users["office"])
    response = client.post(
        reverse("backoffice:producer_new"),
        {
            "name": "Tổ hợp tác miến dong",
            "kind": "tht",
            "registration_code": "",
            "commune": users["chi_lang"].pk,
        },
    )
    assert response.status_code == 302
    assert Producer.objects.get(name="Tổ hợp tác miến dong").registration_code == ""


def test_create_then_detail_shows_history(client, users):
    client.force_login(users["officer"])
    response = client.post(
        reverse("backoffice:producer_new"),
        {
            "name": "HTX Rau bò khai Chi Lăng",
            "kind": "htx",
            "registration_code": valid_tax_code(42),
            "commune": users["chi_lang"].pk,
            "lat": "21,67",
            "lng": "106,62",
        },
    )
    producer = Producer.objects.get(name="HTX Rau bò khai Chi Lăng")
    assert response.status_code == 302
    client.post(
        reverse("backoffice:producer_edit", args=[producer.pk]),
        {
            "name": producer.name,
            "kind": "htx",
            "registration_code": producer.registration_code,
            "commune": users["chi_lang"].pk,
            "representative": "Hoàng Văn A",
        },
    )
    body = client.get(reverse("backoffice:producer_detail", args=[producer.pk])).content.decode()
    assert "Lịch sử thay đổi" in body and "Hoàng Văn A" in body and "officer" in body
    assert "Người đại diện" in body


def _form_data(form) -> dict:
    return {f.html_name: "" if f.value() is None else f.value() for f in form}


def test_product_filed_at_group_level_keeps_its_group_when_saved(client, users):
    # A list named only "Thực phẩm": the form offers the group, the product keeps it when edited
    # (the worklist flags the missing sub-group); a sub-group can then be chosen.
    group = Classification.objects.get(scheme="QD26-2026", code="I")
    product = ProductFactory(producer=users["own_producer"], category=group, name="Thạch nhóm chung")
    client.force_login(users["officer"])
    url = reverse("backoffice:product_edit", args=[product.pk])
    form = client.get(url).context["form"]
    assert form["category"].value() == group.pk
    assert "(chưa có phân nhóm)" in dict(form.fields["category"].choices)[group.pk]
    data = {**_form_data(form), "description": "Mô tả mới"}
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.category == group and product.description == "Mô tả mới"
    leaf = Classification.objects.get(scheme="QD26-2026", code="I.3.c")
    assert client.post(url, {**data, "version": product.version, "category": leaf.pk}).status_code == 302
    product.refresh_from_db()
    assert product.category == leaf


def test_lists_show_a_product_without_producer_as_such(client, users):
    ProductFactory(producer=None, commune=users["chi_lang"], name="Hồng không chủ")
    client.force_login(users["office"])
    body = client.get(reverse("backoffice:product_index")).content.decode()
    assert "Hồng không chủ" in body and "Thiếu chủ thể" in body


def test_product_search_ignores_diacritics_and_filters_narrow(client, users):
    ProductFactory(
        producer=users["own_producer"],
        name="Thạch đen Tràng Định",
        search_text="thach den trang dinh",
        category=Classification.objects.get(code="I.3.c"),
    )
    ProductFactory(
        producer=users["own_producer"],
        name="Na dai",
        search_text="na dai",
        category=Classification.objects.get(code="I.1.a"),
    )
    client.force_login(users["office"])
    body = client.get(reverse("backoffice:product_index"), {"q": "THACH ĐEN"}).content.decode()
    assert "Thạch đen Tràng Định" in body and "Na dai" not in body
    group_i1 = Classification.objects.get(code="I.1.a")
    body = client.get(reverse("backoffice:product_index"), {"category": group_i1.pk}).content.decode()
    assert "Na dai" in body and "Thạch đen Tràng Định" not in body


def test_htmx_request_gets_only_the_results(client, users):
    client.force_login(users["office"])
    full = client.get(reverse("backoffice:producer_index"))
    partial = client.get(reverse("backoffice:producer_index"), headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"<html" not in partial.content
    assert b"<table" in partial.content


def test_list_query_count_does_not_grow_with_rows(client, users):
    client.force_login(users["office"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("backoffice:product_index")).status_code == 200
        return len(ctx)

    for _ in range(3):
        ProductFactory(producer=users["own_producer"])
    few = count()
    for _ in range(20):
        ProductFactory(producer=ProducerFactory(commune=users["chi_lang"]))
    assert count() == few
    assert few <= 12


def test_product_links_form_rejects_wrong_platform(client, users):
    product = ProductFactory(producer=users["own_producer"])
    client.force_login(users["officer"])
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "form-0-platform": "shopee",
        "form-0-url": "https://tiki.vn/x",
        "form-1-platform": "",
    }
    response = client.post(reverse("backoffice:product_links", args=[product.pk]), data)
    assert response.status_code == 200
    assert "Đường dẫn không thuộc Shopee" in response.content.decode()
    data["form-0-url"] = "https://shopee.vn/na-dai"
    assert client.post(reverse("backoffice:product_links", args=[product.pk]), data).status_code == 302
    assert list(product.sales_links.values_list("url", flat=True)) == ["https://shopee.vn/na-dai"]


def test_english_switch(client, users):
    client.force_login(users["office"])
    client.post(reverse("set_language"), {"language": "en", "next": "/quan-ly/"})
    body = client.get(reverse("backoffice:producer_index")).content.decode()
    assert "OCOP producers" in body or "Producers" in body
    assert 'lang="en"' in body


def test_dates_are_dd_mm_yyyy(client, users):
    import datetime as dt

    from certificates.services import certificate_issue

    product = ProductFactory(producer=users["own_producer"])
    certificate_issue(product, stars=4, issued_on=dt.date(2025, 3, 7), actor=users["office"])
    client.force_login(users["office"])
    body = client.get(reverse("backoffice:product_detail", args=[product.pk])).content.decode()
    assert "07/03/2025" in body and "07/03/2028" in body
    assert Product.objects.count() >= 1


def test_vietnamese_by_default_even_for_an_english_browser(client, users):
    client.force_login(users["office"])
    body = client.get(
        reverse("backoffice:home"), headers={"accept-language": "en-US,en;q=0.9"}
    ).content.decode()
    assert 'lang="vi"' in body and "Tổng quan" in body


def test_lists_export_to_excel_with_their_filters(client, users):
    from io import BytesIO

    from openpyxl import load_workbook

    ProductFactory(producer=users["own_producer"], name="Na dai Chi Lăng", search_text="na dai chi lang")
    ProductFactory(producer=users["foreign_producer"], name="Thạch đen", search_text="thach den")
    client.force_login(users["officer"])
    body = client.get(reverse("backoffice:product_index"), {"q": "na"}).content.decode()
    assert reverse("reports:export_products") + "?q=na" in body
    from jobs.testing import job_file  # the export runs as a background job

    sheet = load_workbook(BytesIO(job_file(client, reverse("reports:export_products"), {"q": "na"}))).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Na dai Chi Lăng" in values and "Thạch đen" not in values


def test_photo_upload_page_refuses_the_pixel_bomb_and_a_renamed_html_file(client, users):
    """Through the page, as a user sends them: each refusal is a message naming the problem, nothing
    is stored, and a real photo is accepted afterwards (the worker is still up)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.testing.files import jpeg_bytes, pixel_bomb_png

    product = ProductFactory(producer=users["own_producer"])
    client.force_login(users["office"])
    url = reverse("backoffice:product_photo_upload", args=[product.pk])
    for upload, expected in [
        (SimpleUploadedFile("bom.png", pixel_bomb_png(), "image/png"), "40 triệu điểm ảnh"),
        (SimpleUploadedFile("anh.jpg", b"<!doctype html><script>1</script>", "image/jpeg"), "không phải"),
    ]:
        response = client.post(url, {"image": upload}, follow=True)
        assert expected in response.content.decode()
        assert not product.photos.exists()
    response = client.post(url, {"image": SimpleUploadedFile("na.jpg", jpeg_bytes((800, 600)))}, follow=True)
    assert "Đã thêm ảnh" in response.content.decode()
    assert product.photos.get().width == 800
