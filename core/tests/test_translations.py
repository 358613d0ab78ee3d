"""Every message of the project's code and templates has an English translation in
locale/en/LC_MESSAGES/django.po, so a new string cannot be forgotten (core.i18n_check finds them
as makemessages would, without GNU gettext)."""

from pathlib import Path

import polib
from django.conf import settings

from core import i18n_check
from core.i18n_check import Message, messages_in_python, messages_in_template

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"


def test_every_used_message_has_an_english_translation():
    missing = i18n_check.untranslated(polib.pofile(str(PO_PATH)))
    report = "\n".join(
        f"{', '.join(paths)}: {message.msgid!r}"
        + (f" / plural {message.msgid_plural!r}" if message.msgid_plural else "")
        + (f" (context {message.msgctxt!r})" if message.msgctxt else "")
        for message, paths in sorted(missing.items(), key=lambda item: (item[1], item[0].msgid))
    )
    assert not missing, (
        f"{len(missing)} message(s) without an English msgstr in {PO_PATH.name}; "
        f"add them at the end:\n{report}"
    )


def test_the_check_sees_the_whole_project():
    used = i18n_check.used_messages()
    assert len(used) > 1000
    files = {path for paths in used.values() for path in paths}
    assert any(path.startswith("templates/") for path in files)
    assert any("/templates/" in path for path in files)
    assert not any("/tests/" in path or "/migrations/" in path for path in files)
    assert Message("Đăng nhập") in used


def test_python_calls_found_whatever_the_alias():
    source = """
from django.utils import translation
from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy

class Status(models.TextChoices):
    OPEN = "open", _("Mở")

a = _("Một " "chuỗi")
b = translation.gettext("Hai")
c = ngettext("%(n)d sản phẩm", "%(n)d sản phẩm", n) % {"n": n}
d = pgettext_lazy("tháng", "Tháng %(m)s")
e = _(f"không {x}")
f = _(variable)
g = len("không phải")
"""
    assert messages_in_python(source) == [
        Message("Mở"),
        Message("Một chuỗi"),
        Message("Hai"),
        Message("%(n)d sản phẩm", "%(n)d sản phẩm"),
        Message("Tháng %(m)s", msgctxt="tháng"),
    ]


def test_template_tags_found_as_makemessages_reads_them():
    source = """{% load i18n %}<h1>{% translate "Tiêu đề" %}</h1>
<p title="{% trans 'Gợi ý' context 'nút' %}">{{ value|default:_("Không có") }}</p>
{% blocktranslate trimmed with d=day %}
  Ngày {{ d }}
  là 100%
{% endblocktranslate %}
{% blocktrans count n=items|length %}{{ n }} mục{% plural %}{{ n }} mục{% endblocktrans %}
{% trans "Chỉ ghi chú" as note %}{{ note }}"""
    assert messages_in_template(source) == [
        Message("Tiêu đề"),
        Message("Gợi ý", msgctxt="nút"),
        Message("Không có"),
        Message("Ngày %(d)s là 100%%"),
        Message("%(n)s mục", "%(n)s mục"),
        Message("Chỉ ghi chú"),
    ]


def test_empty_missing_or_incomplete_entries_count_as_untranslated(monkeypatch):
    used = {
        Message("Có"): {"a.py"},
        Message("Trống"): {"a.py"},
        Message("Thiếu"): {"a.py"},
        Message("%(n)s dòng", "%(n)s dòng"): {"b.html"},
        Message("Mờ"): {"a.py"},
    }
    monkeypatch.setattr(i18n_check, "used_messages", lambda: used)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Có", msgstr="Yes"))
    po.append(polib.POEntry(msgid="Trống", msgstr=""))
    po.append(
        polib.POEntry(msgid="%(n)s dòng", msgid_plural="%(n)s dòng", msgstr_plural={0: "%(n)s row", 1: ""})
    )
    po.append(polib.POEntry(msgid="Mờ", msgstr="Blurred", flags=["fuzzy"]))
    assert set(i18n_check.untranslated(po)) == set(used) - {Message("Có")}


def test_no_message_is_defined_twice():
    # Helpers append their messages at the end of the file; a message defined twice is a fatal
    # error for GNU msgfmt and leaves which translation wins to chance.
    seen: dict[tuple[str, str], int] = {}
    twice = []
    for entry in polib.pofile(str(PO_PATH)):
        key = (entry.msgctxt or "", entry.msgid)
        if key in seen:
            twice.append(f"line {entry.linenum}: {entry.msgid!r} (first at line {seen[key]})")
        seen.setdefault(key, entry.linenum)
    assert not twice, "messages defined twice in django.po:\n" + "\n".join(twice)
