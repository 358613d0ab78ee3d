"""The national OCOP database exchange through the API (issue 17 point 7): the office's token
reads the export and its dry run, the same as reports.national; anyone else is refused."""

import pytest

from reports import national
from reports.tests.helpers import build_world

pytestmark = pytest.mark.django_db
EXPORT, DRY_RUN = "/api/v1/national-export/", "/api/v1/national-export/dry-run/"


def test_anonymous_and_other_roles_are_refused(api, token_client, users, communes):
    build_world(users, communes)
    assert api.get(EXPORT).status_code == 401
    assert api.get(DRY_RUN).status_code == 401
    for name in ("officer", "council", "producer"):
        assert token_client(name).get(EXPORT).status_code == 403
        assert token_client(name).get(DRY_RUN).status_code == 403


def test_the_office_reads_what_the_dry_run_and_the_excel_hold(token_client, users, communes):
    build_world(users, communes)
    office = token_client("office")
    report = national.dry_run(users["office"])
    dry = office.get(DRY_RUN).json()
    assert dry["counts"] == {"products": 5, "producers": 2, "certificates": 6, "rows_with_missing": 5}
    assert [r["product_code"] for r in dry["rows"]] == [r.product_code for r in report.rows]
    assert dry["missing_by_field"]["address"] == 5  # the test producers have no address
    assert set(dry["rows"][0]["missing"]) <= set(national.REQUIRED_PRODUCT_KEYS)
    data = office.get(EXPORT).json()
    assert data["province_code"] == "20" and data["counts"] == dry["counts"]
    assert [p["product_code"] for p in data["products"]] == [r.product_code for r in report.rows]
    assert set(data["products"][0]) == {f.key for f in national.PRODUCT_FIELDS}
    assert len(data["producers"]) == 2 and len(data["certificates"]) == 6
    assert data["products"][0]["commune_code"].isdigit()
