"""The body of a market-information page: Markdown, rendered without raw HTML.

Markdown (CommonMark with tables, via markdown-it-py) is what the office types; any HTML in it is
shown as text, never passed through, so no script, frame, style or event handler can reach a page.
Links may only be http(s), mailto, tel or addresses on this site; images are not rendered (photos
go as attachments, served by us). `check_body` refuses a body that tries to carry a script at all,
so the author learns of it instead of seeing it silently shown as text."""

import re

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

MAX_BODY = 100_000
ALLOWED_LINK = re.compile(r"^(https?://|mailto:|tel:|/(?!/)|#)", re.IGNORECASE)
# A script, frame or style tag, a script address, or an event handler inside a tag ("<a onclick=").
SCRIPT_LIKE = re.compile(
    r"<\s*(script|iframe|object|embed|style)\b|javascript\s*:|vbscript\s*:|<[^>]*\son\w+\s*=", re.I
)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").disable("image")
    md.validateLink = lambda url: bool(ALLOWED_LINK.match(url.strip()))

    def link_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if (token.attrGet("href") or "").lower().startswith(("http://", "https://")):
            token.attrSet("rel", "nofollow noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


_MD = _parser()


def check_body(text: str) -> None:
    """Refuse a body with a script, frame or event handler in it (naming the line)."""
    if len(text or "") > MAX_BODY:
        raise ValidationError(
            _("Nội dung quá dài: tối đa %(n)s ký tự.") % {"n": f"{MAX_BODY:,}".replace(",", ".")}
        )
    for number, line in enumerate((text or "").splitlines(), start=1):
        if SCRIPT_LIKE.search(line):
            raise ValidationError(
                _(
                    "Dòng %(n)s có mã lệnh (script, khung nhúng hoặc javascript:): "
                    "không được dùng trong nội dung."
                )
                % {"n": number}
            )


def render_markdown(text: str) -> str:
    """Safe HTML of a Markdown body (raw HTML escaped, only safe links)."""
    return mark_safe(_MD.render(text or ""))  # noqa: S308 - markdown-it escapes all raw HTML (html=False)
