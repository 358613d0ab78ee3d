"""The translatable strings of the project's own code and templates, found without GNU gettext.

Python files are read with ast (calls of the gettext family with literal arguments, whatever the
import alias: ``_``, ``gettext_lazy``, ``ngettext``, ``pgettext``...); templates go through
Django's own ``templatize`` (what ``makemessages`` feeds to xgettext), whose gettext calls are read
the same way. core/tests/test_translations.py checks every message has an English translation.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "api",
    "areas",
    "backoffice",
    "catalogue",
    "certificates",
    "config",
    "core",
    "evaluation",
    "geo",
    "inspections",
    "jobs",
    "market",
    "notices",
    "producers",
    "products",
    "promotion",
    "reports",
    "sales",
    "support",
    "traceability",
)
SKIPPED_DIRS = {"tests", "migrations", "__pycache__", ".venv", "var", "node_modules"}
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}

# Function name -> (context argument index or None, singular index, plural index or None),
# the keywords makemessages gives xgettext.
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_CALL_START = re.compile(r"\b(" + "|".join(sorted(KEYWORDS, key=len, reverse=True)) + r")\(")


@dataclass(frozen=True)
class Message:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None


def _literal(node):
    """The value of a string literal (implicit and ``+`` concatenations included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _message_of_call(call):
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name not in KEYWORDS:
        return None
    context_at, singular_at, plural_at = KEYWORDS[name]
    args = call.args
    if len(args) <= max(i for i in (context_at, singular_at, plural_at) if i is not None):
        return None
    msgid = _literal(args[singular_at])
    plural = _literal(args[plural_at]) if plural_at is not None else None
    context = _literal(args[context_at]) if context_at is not None else None
    if (
        msgid is None
        or (plural_at is not None and plural is None)
        or (context_at is not None and context is None)
    ):
        return None
    return Message(msgid, plural, context)


def messages_in_python(source, filename="<source>"):
    calls = [node for node in ast.walk(ast.parse(source, filename)) if isinstance(node, ast.Call)]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    return [message for message in map(_message_of_call, calls) if message is not None]


def messages_in_template(source, origin=None):
    """The messages of a template, read from the gettext calls ``templatize`` writes."""
    text = templatize(source, origin)
    found = []
    for match in _CALL_START.finditer(text):
        start, end = match.start(), match.end()
        while True:
            end = text.find(")", end)
            if end < 0:
                break
            end += 1
            try:
                tree = ast.parse(text[start:end], mode="eval")
            except SyntaxError:
                continue
            if isinstance(tree.body, ast.Call):
                message = _message_of_call(tree.body)
                if message is not None:
                    found.append(message)
            break
    return found


def _walk(directory, suffixes):
    for path in sorted(directory.rglob("*")):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if path.is_file() and path.suffix in suffixes and not parts & SKIPPED_DIRS:
            yield path


def source_files():
    for app in APPS:
        yield from _walk(ROOT / app, {".py"})


def template_files():
    yield from _walk(ROOT / "templates", TEMPLATE_SUFFIXES)
    for app in APPS:
        yield from (
            p for p in _walk(ROOT / app, TEMPLATE_SUFFIXES) if "templates" in p.relative_to(ROOT).parts
        )


def used_messages():
    """Every message of the project's code and templates -> the files using it (relative paths)."""
    used = {}
    for path in source_files():
        for message in messages_in_python(path.read_text(encoding="utf-8"), str(path)):
            used.setdefault(message, set()).add(str(path.relative_to(ROOT)))
    for path in template_files():
        for message in messages_in_template(path.read_text(encoding="utf-8"), str(path)):
            used.setdefault(message, set()).add(str(path.relative_to(ROOT)))
    return used


def untranslated(po):
    """The used messages the polib catalogue ``po`` does not translate (missing, empty or fuzzy)."""
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    missing = {}
    for message, paths in used_messages().items():
        entry = entries.get((message.msgctxt, message.msgid))
        if entry is None or "fuzzy" in entry.flags:
            ok = False
        elif message.msgid_plural:
            ok = entry.msgid_plural == message.msgid_plural and all(
                entry.msgstr_plural.get(i) for i in (0, 1)
            )
        else:
            ok = bool(entry.msgstr) and not entry.msgid_plural
        if not ok:
            missing[message] = sorted(paths)
    return missing
