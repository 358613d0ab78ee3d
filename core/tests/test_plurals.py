"""Counts read right in English ("1 product", "2 products") and stay as they were in Vietnamese,
which has a single form (the source text)."""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from areas import geometry
from certificates.models import ReminderStage
from certificates.reminders import reminder_text
from core.testing import ProductFactory
from reports.pdf import _overview

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def test_every_english_plural_entry_is_complete():
    po = polib.pofile(str(PO_PATH))
    assert "nplurals=2" in po.metadata["Plural-Forms"]
    plural_entries = [e for e in po if e.msgid_plural and not e.obsolete]
    assert len(plural_entries) >= 40
    for entry in plural_entries:
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        assert set(entry.msgstr_plural) == {0, 1}, entry.msgid
        for form in (0, 1):
            text = entry.msgstr_plural[form]
            assert text and set(PLACEHOLDER.findall(text)) == wanted, (entry.msgid, form)
    assert not po.fuzzy_entries()


def test_compiled_catalogue_answers_every_plural_entry():
    """The .mo in use (make messages) holds the plural entries: English picks the form by the
    count, Vietnamese shows the source text for any count."""
    for entry in (e for e in polib.pofile(str(PO_PATH)) if e.msgid_plural and not e.obsolete):
        with translation.override("en"):
            assert translation.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert translation.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
        with translation.override("vi"):
            assert translation.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgid
            assert translation.ngettext(entry.msgid, entry.msgid_plural, 7) == entry.msgid_plural


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 result ·"),
        ("en", 2, "2 results ·"),
        ("en", 1234, "1,234 results ·"),
        ("vi", 1, "1 kết quả ·"),
        ("vi", 2, "2 kết quả ·"),
    ],
)
def test_pagination_counts_results(language, count, expected):
    page = Paginator(range(count), 20).page(1)
    with translation.override(language):
        html = render_to_string("backoffice/_pagination.html", {"page": page})
    assert expected in html


def _closed_ring(*points):
    return {"type": "Polygon", "coordinates": [[*points, points[0]]]}


@pytest.mark.parametrize(
    ("language", "ring", "expected"),
    [
        ("en", [[106.76, 21.85]] * 3, "has only 1 distinct vertex;"),
        ("en", [[106.76, 21.85], [106.77, 21.85], [106.76, 21.85]], "has only 2 distinct vertices;"),
        ("vi", [[106.76, 21.85]] * 3, "chỉ có 1 đỉnh khác nhau;"),
        ("vi", [[106.76, 21.85], [106.77, 21.85], [106.76, 21.85]], "chỉ có 2 đỉnh khác nhau;"),
    ],
)
def test_boundary_with_too_few_vertices(language, ring, expected):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        geometry.check(_closed_ring(*ring))
    assert expected in caught.value.messages[0]


def _figures(certified, producers, expiring, by_star=()):
    return SimpleNamespace(
        day=dt.date(2026, 6, 30),
        certified=certified,
        producers=producers,
        expiring={6: expiring, 3: 0, 1: 0},
        by_star=by_star,
    )


def test_pdf_overview_sentences():
    one = _figures(certified=1, producers=1, expiring=1)
    many = _figures(certified=1234, producers=2, expiring=3)
    with translation.override("en"):
        assert _overview(one, 2026, {"3": 1}, {"3": 1}) == (
            "As of 30/06/2026 there is 1 valid OCOP product (3-star: 1, 4-star: 0, 5-star: 0). "
            "In 2026, 1 certificate was issued. 1 certificate expires within the next 6 months. "
            "There is 1 OCOP producer in the registry."
        )
        text = _overview(many, 2026, {"3": 1000, "4": 234}, {"3": 4, "4": 1})
        assert "there are 1.234 valid OCOP products" in text
        assert "In 2026, 5 certificates were issued. 3 certificates expire" in text
        assert text.endswith("There are 2 OCOP producers in the registry.")
    with translation.override("vi"):
        assert _overview(one, 2026, {"3": 1}, {"3": 1}) == (
            "Tính đến ngày 30/06/2026 có 1 sản phẩm OCOP còn hiệu lực (1 sản phẩm 3 sao, 0 sản phẩm 4 sao, "
            "0 sản phẩm 5 sao). Trong năm 2026 có 1 giấy chứng nhận được cấp. 1 giấy chứng nhận hết hạn "
            "trong 6 tháng tới. Có 1 chủ thể OCOP trong sổ."
        )


def _certificate(expires_on):
    product = SimpleNamespace(
        name="Trà hoa vàng", producer=SimpleNamespace(name="HTX Trà"), producer_name="HTX Trà"
    )
    return SimpleNamespace(
        product=product,
        display_number="12/QĐ-UBND",
        stars=4,
        expires_on=expires_on,
        reevaluation_opens_on=expires_on - dt.timedelta(days=180),
        reevaluation_closes_on=expires_on - dt.timedelta(days=120),
    )


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "\n1 day left. After this date"),
        ("en", 2, "\n2 days left. After this date"),
        ("vi", 1, "\nCòn 1 ngày. Sau ngày này"),
        ("vi", 2, "\nCòn 2 ngày. Sau ngày này"),
    ],
)
def test_expiry_reminder_days_left(language, days, expected):
    day = dt.date(2026, 6, 1)
    with translation.override(language):
        _title, body = reminder_text(_certificate(day + dt.timedelta(days=days)), ReminderStage.EXPIRY, day)
    assert expected in body


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "Only 1 day left to submit"),
        ("en", 5, "Only 5 days left to submit"),
        ("vi", 1, "Chỉ còn 1 ngày để nộp"),
    ],
)
def test_window_closing_reminder_days_left(language, days, expected):
    day = dt.date(2026, 6, 1)
    certificate = _certificate(day + dt.timedelta(days=120 + days))
    with translation.override(language):
        _title, body = reminder_text(certificate, ReminderStage.WINDOW_CLOSING, day)
    assert expected in body


def _get(client, url, language, **kwargs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url, **kwargs)


@pytest.mark.django_db
def test_backoffice_home_figures(client, users):
    from producers.models import Producer

    client.force_login(users["office"])
    ProductFactory(producer=users["own_producer"])
    producers = Producer.objects.count()
    assert producers > 1

    english = _get(client, reverse("backoffice:home"), "en").content.decode()
    assert f"<b>{producers}</b> producers" in english
    assert "<b>1</b> product<" in english
    assert "<b>0</b> valid certificates" in english
    vietnamese = _get(client, reverse("backoffice:home"), "vi").content.decode()
    assert f"<b>{producers}</b> chủ thể" in vietnamese
    assert "<b>1</b> sản phẩm<" in vietnamese

    ProductFactory(producer=users["own_producer"])
    assert "<b>2</b> products<" in _get(client, reverse("backoffice:home"), "en").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "unread", "expected"),
    [
        ("en", 1, "Marked 1 notification as read."),
        ("en", 2, "Marked 2 notifications as read."),
        ("vi", 1, "Đã đánh dấu 1 thông báo là đã đọc."),
    ],
)
def test_mark_all_notices_read(client, users, language, unread, expected):
    from notices.models import Notice

    user = users["office"]
    Notice.objects.bulk_create([Notice(user=user, title=f"Thông báo {i}") for i in range(unread)])
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("notices:read_all"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [expected]
