import pytest
from django.core.exceptions import ValidationError

from market.markup import check_body, render_markdown


def test_markdown_renders_headings_lists_tables_and_safe_links():
    html = render_markdown(
        "# Xuất khẩu\n\n- hồi\n- quế\n\n| Mặt hàng | Thị trường |\n|---|---|\n| Hồi | Trung Quốc |\n\n"
        "[Văn bản](https://moit.gov.vn/) · [trang](/san-pham/) · [thư](mailto:a@b.vn)"
    )
    assert "<h1>Xuất khẩu</h1>" in html and "<li>hồi</li>" in html and "<td>Trung Quốc</td>" in html
    assert '<a href="https://moit.gov.vn/" rel="nofollow noopener noreferrer">Văn bản</a>' in html
    assert '<a href="/san-pham/">trang</a>' in html and 'href="mailto:a@b.vn"' in html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[bấm](javascript:alert(1))",
        "<iframe src='https://x'></iframe>",
        '<a href="#" onclick="steal()">x</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_scripts_are_refused_and_never_rendered(body):
    with pytest.raises(ValidationError) as exc:
        check_body("Dòng đầu\n" + body)
    assert "Dòng 2" in exc.value.messages[0]
    html = render_markdown(body).strip()
    # Nothing but the paragraph itself is markup: the input is text, escaped.
    assert html.startswith("<p>") and html.endswith("</p>")
    assert "<" not in html[3:-4] and 'href="javascript' not in html


def test_raw_html_is_shown_as_text_and_images_and_odd_links_are_not_rendered():
    html = render_markdown("<b>đậm</b> ![ảnh](https://x.vn/a.png) [data](data:text/html,abc) [ftp](ftp://x)")
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html
    assert "<img" not in html
    assert 'href="data:' not in html and 'href="ftp:' not in html


def test_ordinary_text_passes():
    check_body("Mùa vụ hồi: tháng 8–10. Giá tham khảo xem tại chợ đầu mối.\n")
    check_body("Giá bán online = giá tại chợ; Only one = một; a < b và c > d")
