import dataclasses

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support.advice import LINKS_FILE, LinksInvalid, categories_for, load_links, split_criterion
from support.models import Category
from support.selectors import support_suggestions


def cats(*items):
    return [c for c, _criteria, _why in categories_for(items)]


def test_the_mapping_file_is_valid():
    data = yaml.safe_load(LINKS_FILE.read_text(encoding="utf-8"))
    assert {item["category"] for item in data["links"]} <= set(Category.values)
    assert len(load_links()) == len(data["links"])


def test_an_unknown_category_is_refused(tmp_path):
    bad = tmp_path / "links.yaml"
    bad.write_text("links:\n  - category: nope\n    keywords: [x]\n", encoding="utf-8")
    with pytest.raises(LinksInvalid, match="unknown category"):
        load_links.__wrapped__(bad)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["2.2 Đóng gói, bao bì sản phẩm"], ["packaging"]),
        (["2.2"], ["packaging"]),
        (["2.3.c"], ["packaging", "traceability"]),
        (["2.3 Phong cách, ghi nhãn hàng hóa"], ["packaging", "traceability"]),
        (["3.5 Sở hữu trí tuệ"], ["trademark"]),
        (["4.3 Quảng bá sản phẩm"], ["trade_promotion"]),
        (["4.1"], ["trade_promotion"]),
        (["12 CƠ HỘI THỊ TRƯỜNG TOÀN CẦU"], ["trade_promotion"]),
        (["1.7 Sử dụng công nghệ theo hướng bền vững trong sản xuất"], ["equipment"]),
        (["1.6"], ["equipment"]),
        (["1.2 Vùng nguyên liệu được cấp chứng nhận chất lượng"], ["quality"]),
        (["10 ĐẢM BẢO CHẤT LƯỢNG SẢN PHẨM"], ["quality"]),
        (["Mã truy xuất nguồn gốc điện tử"], ["traceability"]),
        (["5.1 Câu chuyện sản phẩm"], ["story"]),
        (["2.1 Nguồn gốc ý tưởng sản phẩm"], []),
        (["6.3 Mùi/vị"], []),
        ([], []),
    ],
)
def test_criteria_map_to_categories(items, expected):
    assert cats(*items) == expected


def test_order_follows_the_criteria_and_advisor_objects_work():
    @dataclasses.dataclass
    class Lost:
        criterion_code: str
        criterion_name_vi: str

    items = [
        Lost("4.3", "Quảng bá sản phẩm"),
        "2.2 Đóng gói, bao bì sản phẩm",
        Lost("4.1", "Khu vực phân phối chính"),
    ]
    matched = categories_for(items)
    assert [c for c, _, _ in matched] == ["trade_promotion", "packaging"]
    assert matched[0][1] == ["4.3 Quảng bá sản phẩm", "4.1 Khu vực phân phối chính"]
    assert split_criterion("2.2.c") == ("2.2", "", "2.2.c")
    assert split_criterion("8.TH1.a")[0] == "8"


@pytest.mark.django_db
def test_suggestions_are_open_programmes_and_upcoming_courses(support_data):
    with CaptureQueriesContext(connection) as ctx:
        result = support_suggestions(
            ["2.2 Đóng gói, bao bì sản phẩm", "3.5 Sở hữu trí tuệ", "1.7 Sử dụng công nghệ"]
        )
    assert len(ctx) == 2
    by = {s.category: s for s in result}
    assert [s.category for s in result] == ["packaging", "trademark", "equipment"]
    assert [p.name for p in by["packaging"].programmes] == ["Thiết kế bao bì 2026"]
    assert [c.title for c in by["packaging"].courses] == ["Thiết kế bao bì và nhãn"]
    assert [p.name for p in by["trademark"].programmes] == ["Đăng ký nhãn hiệu"]
    assert by["equipment"].programmes == []  # the equipment programme has ended
    assert by["packaging"].label == "Thiết kế bao bì, nhãn mác"
    assert support_suggestions(["6.3 Mùi/vị"]) == []


@pytest.mark.django_db
def test_advisor_box_renders_from_the_lost_points(support_data, rf, users):
    from django.template import Context, Template

    from evaluation.advice import LostPoints

    lost = [LostPoints("2.2", "Đóng gói, bao bì sản phẩm", 1, 5, "Bao bì đẹp", 3)]
    request = rf.get("/")
    request.user = users["producer"]
    html = Template("{% load support_tags %}{% support_suggestions_box lost %}").render(
        Context({"lost": lost, "request": request})
    )
    assert "Chương trình hỗ trợ, khóa đào tạo phù hợp" in html and "Thiết kế bao bì 2026" in html
    assert "2.2 Đóng gói, bao bì sản phẩm" in html
