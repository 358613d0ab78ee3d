"""The back-office menu: one list of entries, each with the predicate that shows it to a role.

base.html renders `menu_for(user, path)` (templatetags/backoffice_menu.py): a person sees only the
modules its role may open (the predicates are the same permissions the pages check), and the
entry of the current page is marked. On a phone the list folds into a <details> (see
static/backoffice/backoffice.css and menu.js)."""

from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
    is_staff_member,
)


def has_perm(name: str) -> rules.Predicate:
    return rules.Predicate(lambda user: user.has_perm(name), name=f"has_perm:{name}")


is_superuser = rules.is_superuser


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    shown: rules.Predicate
    badge: str = ""  # "notices": the unread count beside the label


ENTRIES: tuple[Entry, ...] = (
    Entry(_("Tổng quan"), "backoffice:home", is_staff_member),
    Entry(_("Chủ thể"), "backoffice:producer_index", is_staff_member),
    Entry(_("Sản phẩm"), "backoffice:product_index", is_staff_member),
    Entry(_("Đánh giá"), "evaluation:dossier_index", is_staff_member),
    Entry(_("Giấy chứng nhận"), "certificates:index", has_perm("certificates.view_certificate")),
    Entry(_("Kiểm tra sau công nhận"), "inspections:index", has_perm("inspections.view_inspectionplan")),
    Entry(_("Vùng nguyên liệu"), "areas:index", has_perm("areas.view_rawmaterialarea")),
    Entry(_("Lô sản phẩm, truy xuất"), "traceability:index", has_perm("traceability.view_batch")),
    Entry(_("Tiêu thụ"), "sales:index", has_perm("sales.view_summary") | is_producer_account),
    Entry(_("Điểm bán"), "sales:point_index", has_perm("sales.view_salespoint")),
    Entry(_("Xúc tiến"), "promotion:index", has_perm("promotion.view_event")),
    Entry(_("Hỗ trợ"), "support:index", has_perm("support.view_programme")),
    Entry(_("Thông tin thị trường"), "market:index", is_staff_member),
    Entry(_("Thống kê, báo cáo"), "reports:dashboard", is_staff_member),
    Entry(_("Chất lượng dữ liệu"), "quality:worklist", has_perm("reports.view_quality")),
    Entry(
        _("Chỉ dẫn địa lý, nhãn hiệu"),
        "backoffice:ip_index",
        has_perm("products.view_intellectualproperty") & ~is_producer_account,
    ),
    Entry(_("Địa chỉ cũ"), "backoffice:old_address_lookup", is_office | is_commune_officer),
    Entry(_("Thông báo"), "notices:index", is_staff_member, badge="notices"),
    Entry(_("Các công việc của tôi"), "jobs:index", is_office | is_commune_officer | is_council_member),
    Entry(_("Quản trị hệ thống"), "admin:index", is_superuser),
)


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    current: bool
    badge: str


def menu_for(user, path: str = "") -> list[Item]:
    """The entries the user may open; the one whose address is the longest prefix of `path` is
    current (the home page only on itself)."""
    shown = [(entry, reverse(entry.url_name)) for entry in ENTRIES if entry.shown.test(user)]
    matches = [url for _entry, url in shown if path == url or (path.startswith(url) and url.count("/") > 2)]
    current = max(matches, key=len, default="")
    return [Item(entry.label, url, url == current, entry.badge) for entry, url in shown]
