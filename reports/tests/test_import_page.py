"""The import page: upload → preview job (writes nothing) → confirmation → import job, each with its
progress and its report on the job's page; the file waits in a private folder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.models import Job
from jobs.testing import run_jobs, started_job
from products.models import Product
from reports.tests.helpers import xlsx_bytes
from reports.tests.test_import import HEADER_VARIANTS, sample_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.OCOP_IMPORT_DIR = tmp_path / "imports"
    return settings.OCOP_IMPORT_DIR


def upload(client, rows, name="danh-sach.xlsx"):
    header = HEADER_VARIANTS["accented"]
    data = xlsx_bytes([list(header.values()), *rows])
    with run_jobs():
        response = client.post(reverse("reports:import"), {"file": SimpleUploadedFile(name, data)})
    return response


def test_upload_preview_then_confirm(client, users, import_dir, settings):
    client.force_login(users["office"])
    response = upload(client, sample_rows(HEADER_VARIANTS["accented"]))
    preview = started_job(response)
    preview.refresh_from_db()
    assert preview.status == Job.Status.SUCCEEDED, preview.error
    assert preview.params["commit"] is False and preview.report["ok"]
    assert (preview.progress_done, preview.progress_total) == (6, 6)  # read and checked, 3 rows each
    assert Product.objects.filter(name="Na dai Hữu Lễ").count() == 0
    kept = list(import_dir.iterdir())
    assert [p.name for p in kept] == [preview.params["path"]] and settings.MEDIA_ROOT not in kept[0].parents
    page = client.get(reverse("jobs:detail", args=[preview.pk])).content.decode()
    assert "Xác nhận nhập 3 dòng" in page and "Na dai Hữu Lễ" in page

    url = reverse("reports:import")
    assert client.post(url, {"preview": "wrong"}).status_code == 302
    assert client.post(url, {"preview": "999999"}).status_code == 302
    assert Job.objects.count() == 1
    with run_jobs():
        response = client.post(url, {"preview": preview.pk})
    job = started_job(response)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.report["committed"] and (job.progress_done, job.progress_total) == (9, 9)
    assert Product.objects.filter(name="Na dai Hữu Lễ").count() == 1
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Sản phẩm: 3 thêm mới" in page and "Xác nhận nhập" not in page
    # The kept file is gone, and confirming again leads to the same import.
    assert list(import_dir.iterdir()) == []
    with run_jobs():
        again = client.post(url, {"preview": preview.pk})
    assert started_job(again) == job
    assert Product.objects.filter(name="Na dai Hữu Lễ").count() == 1


def test_a_preview_with_errors_names_row_and_column_and_cannot_be_confirmed(client, users, import_dir):
    rows = sample_rows(HEADER_VARIANTS["accented"])
    rows[1][5] = "nhiều sao"
    client.force_login(users["office"])
    preview = started_job(upload(client, rows, name="d.xlsx"))
    preview.refresh_from_db()
    assert preview.status == Job.Status.SUCCEEDED and not preview.report["ok"]
    html = client.get(reverse("jobs:detail", args=[preview.pk])).content.decode()
    assert "«Hạng sao» (cột F)" in html and "nhiều sao" in html and "Xác nhận nhập" not in html
    with run_jobs():
        response = client.post(reverse("reports:import"), {"preview": preview.pk})
    assert response.status_code == 302 and response["Location"] == reverse("reports:import")
    assert Job.objects.count() == 1


def test_an_unreadable_file_is_refused_on_the_form(client, users, import_dir):
    client.force_login(users["office"])
    with run_jobs():
        response = client.post(
            reverse("reports:import"), {"file": SimpleUploadedFile("d.csv", b"khong;co;tieu;de\n1;2;3;4\n")}
        )
    assert response.status_code == 200 and "Không tìm thấy dòng tiêu đề" in response.content.decode()
    assert not Job.objects.exists() and not import_dir.exists()


def test_another_user_cannot_confirm_or_see_a_preview(client, users, import_dir):
    client.force_login(users["office"])
    preview = started_job(upload(client, sample_rows(HEADER_VARIANTS["accented"])))
    from core.testing import make_user

    other = make_user("vanphong2", users["office"].role)
    client.force_login(other)
    assert client.get(reverse("jobs:detail", args=[preview.pk])).status_code == 200  # the office sees all
    with run_jobs():
        response = client.post(reverse("reports:import"), {"preview": preview.pk})
    assert response["Location"] == reverse("reports:import")  # but confirms only its own previews
    assert Job.objects.count() == 1 and Product.objects.filter(name="Na dai Hữu Lễ").count() == 0


def test_upload_page_is_for_the_office(client, users):
    url = reverse("reports:import")
    for name in ("officer", "council", "producer"):
        client.force_login(users[name])
        assert client.get(url).status_code == 403
