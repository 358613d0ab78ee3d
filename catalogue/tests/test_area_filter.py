"""The catalogue filter "có vùng nguyên liệu VietGAP/hữu cơ" (areas.selectors.certified_area_q) and
the badges of certified raw-material areas on the public product page."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from areas.services import area_create, certification_add
from areas.tests.shapes import small_square
from catalogue.selectors import ProductFilters, catalogue_products

pytestmark = pytest.mark.django_db

CATALOGUE = "/san-pham/"


def card_names(response) -> set[str]:
    html = response.content.decode()
    return {unescape(m) for m in re.findall(r'class="pcard-name"><a href="[^"]+">([^<]+)</a>', html)}


@pytest.fixture
def supplied(users, make_product):
    """Four public products: one from a VietGAP area, one from an organic area, one from an area
    whose VietGAP lapsed, one without area."""
    today = timezone.localdate()
    made = {}
    for n, (name, kind, lapsed) in enumerate(
        [
            ("Na dai Chi Lăng", "vietgap", False),
            ("Chè hữu cơ Mẫu Sơn", "organic", False),
            ("Hồi Văn Quan", "vietgap", True),
            ("Thạch đen Tràng Định", None, False),
        ]
    ):
        product = make_product(name, stars=4)
        made[name] = product
        if kind is None:
            continue
        area = area_create(
            actor=users["office"],
            name=f"Vùng {name}",
            kind="crop",
            crop="Cây",
            declared_ha=Decimal("4"),
            commune=users["chi_lang"],
            geometry=small_square(106.70 + 0.003 * n, 21.85),
            products=[product],
            growing_area_code=f"VN-LSON-000{n + 1}",
        )
        end = today - dt.timedelta(days=1) if lapsed else today + dt.timedelta(days=300)
        certification_add(
            area,
            actor=users["office"],
            kind=kind,
            number=f"GCN-{n}",
            valid_from=today - dt.timedelta(days=400),
            valid_until=end,
        )
    return made


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("chung-nhan", {"Na dai Chi Lăng", "Chè hữu cơ Mẫu Sơn"}),
        ("vietgap", {"Na dai Chi Lăng"}),
        ("huu-co", {"Chè hữu cơ Mẫu Sơn"}),
        ("", {"Na dai Chi Lăng", "Chè hữu cơ Mẫu Sơn", "Hồi Văn Quan", "Thạch đen Tràng Định"}),
        ("bogus", {"Na dai Chi Lăng", "Chè hữu cơ Mẫu Sơn", "Hồi Văn Quan", "Thạch đen Tràng Định"}),
    ],
)
def test_the_certified_area_filter_narrows_the_catalogue(client, supplied, value, expected):
    response = client.get(CATALOGUE, {"vung": value})
    assert response.status_code == 200
    assert card_names(response) == expected


def test_the_filter_counts_as_one_and_keeps_one_query_per_page(supplied, django_assert_num_queries):
    filters = ProductFilters(area="vietgap", valid_only=True, valid_default=True)
    assert filters.active_count == 1
    with django_assert_num_queries(1):
        ids = list(catalogue_products(filters).values_list("pk", flat=True))
    assert ids == [supplied["Na dai Chi Lăng"].pk]


def test_the_filter_is_offered_on_the_catalogue_page(client, supplied):
    content = client.get(CATALOGUE).content.decode()
    assert 'name="vung"' in content and "Có vùng nguyên liệu VietGAP/hữu cơ" in content


def test_product_page_shows_badges_of_areas_in_force_and_their_codes(client, supplied):
    content = client.get(f"/san-pham/{supplied['Na dai Chi Lăng'].slug}/").content.decode()
    assert "Vùng nguyên liệu VietGAP" in content
    assert "VN-LSON-0001" in content
    lapsed = client.get(f"/san-pham/{supplied['Hồi Văn Quan'].slug}/").content.decode()
    assert "Vùng nguyên liệu VietGAP" not in lapsed  # the area is listed, its badge is not
    assert "Hết hiệu lực" in lapsed
    organic = client.get(f"/san-pham/{supplied['Chè hữu cơ Mẫu Sơn'].slug}/").content.decode()
    assert "Vùng nguyên liệu Hữu cơ" in organic
