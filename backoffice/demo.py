"""Demo data: accounts for every role and the real Lạng Sơn sample products.
Idempotent: a second run finds what the first created and adds nothing."""

import csv
import datetime as dt
import re

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Role, User
from accounts.roles import HELPER_TEAM_GROUP
from backoffice.demo_catalogue import add_illustrative_photos, load_illustrative_products
from certificates.models import Certificate
from certificates.services import certificate_issue
from geo.models import Commune
from geo.selectors import commune_by_name, former_district_by_name, resolve_old_address
from producers.models import Producer, ProducerKind
from producers.services import producer_create
from products.models import Classification, IntellectualProperty, Product, ProductStatus
from products.reference import DATA as PRODUCT_DATA
from products.reference import link_ip_record
from products.services import product_create

ORDER = 50
DEMO_PASSWORD = "ocop@LangSon2026"
ADMIN_USERNAME = "admin"

KIND_BY_SOURCE = {
    "cooperative": ProducerKind.COOPERATIVE,
    "household business": ProducerKind.HOUSEHOLD,
    "enterprise": ProducerKind.ENTERPRISE,
}


def _user(username, *, role, first_name, last_name="", superuser=False, producer=None, communes=()):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": superuser,
            "is_superuser": superuser,
            "producer": producer,
            "email": f"{username}@example.vn",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.communes.set(communes)
    return user


def _old_commune_text(text: str) -> str:
    """'thôn Đon Chợ, xã Hữu Lễ (old)' -> 'xã Hữu Lễ'."""
    last = text.replace("(old)", "").split(",")[-1]
    return last.strip()


def _commune_for(row) -> Commune | None:
    text = row["commune_or_ward"].strip()
    if not text:
        return None
    if "(old)" in text:
        return resolve_old_address(_old_commune_text(text), row["former_district"] or None)
    return commune_by_name(text)


def _issue_year(row, years_by_url) -> int | None:
    if row["year_certified"]:
        return int(row["year_certified"])
    if years_by_url.get(row["source_url"]):
        return years_by_url[row["source_url"]]
    match = re.search(r"(20[12]\d)(\d{2})(\d{2})", row["source_url"])
    return int(match.group(1)) if match else None


_EDITORIAL_NOTE = re.compile(r"\s*\[([^\]]*)\]\s*")


def split_editorial_note(text: str) -> tuple[str, str]:
    """'Trà đàn hương [tên VN chưa xác minh; nguồn: "té de sándalo"]' -> ('Trà đàn hương',
    'tên VN chưa xác minh; nguồn: "té de sándalo"'): the compilers' bracketed notes are not part
    of a public name; they go to the staff-only Product.internal_note."""
    notes = _EDITORIAL_NOTE.findall(text or "")
    name = " ".join(_EDITORIAL_NOTE.sub(" ", text or "").split())
    return name, "; ".join(n.strip() for n in notes if n.strip())


def load_sample_products(admin, log=print) -> int:
    with open(PRODUCT_DATA / "sample-products.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    years_by_url = {r["source_url"]: int(r["year_certified"]) for r in rows if r["year_certified"]}
    leaves = {c.code: c for c in Classification.objects.filter(scheme="QD26-2026", is_leaf=True)}
    created = 0
    for row in rows:
        commune = _commune_for(row)
        district = former_district_by_name(row["former_district"]) if row["former_district"] else None
        where = row["commune_or_ward"].replace("(old)", "(cũ)")
        if district:
            where = ", ".join(p for p in (where, f"huyện {district.name} (cũ)") if p)
        name, name_note = split_editorial_note(row["name_vi"])
        producer_name, producer_note = split_editorial_note(row["producer"])
        notes = []
        if name_note:
            notes.append(f"Tên sản phẩm: {name_note}")
        if producer_note:
            notes.append(f"Tên chủ thể: {producer_note}")
        # A source that names no producer gives a product without one (shown "đang cập nhật",
        # flagged "thiếu chủ thể" on the worklist), as the province's own lists do.
        producer = None
        if producer_name:
            producer = Producer.objects.filter(name=producer_name, is_sample=True).first()
        else:
            notes.append("Nguồn không nêu tên chủ thể; cần xác minh.")
        if producer is None and producer_name:
            producer = producer_create(
                actor=admin,
                name=producer_name,
                kind=KIND_BY_SOURCE.get(row["producer_type"], ProducerKind.HOUSEHOLD),
                commune=commune,
                address_as_given=where,
                is_sample=True,
                source_url=row["source_url"],
                lat=commune.lat if commune else None,
                lng=commune.lng if commune else None,
                description="Dữ liệu mẫu lấy từ nguồn công khai.",
            )
        if Product.objects.filter(name=name, source_url=row["source_url"], is_sample=True).exists():
            continue
        product = product_create(
            actor=admin,
            name=name,
            producer=producer,
            category=leaves[row["subgroup_code"]],
            commune=commune,
            status=ProductStatus.ACTIVE,
            is_sample=True,
            source_url=row["source_url"],
            description=f"Sản phẩm OCOP của tỉnh Lạng Sơn ({where or 'địa bàn chưa xác định'}). Dữ liệu mẫu.",
            internal_note="\n".join(notes),
        )
        created += 1
        year = _issue_year(row, years_by_url)
        if row["stars"] and year:
            issued = dt.date(year, 12, 31)
            certificate_issue(
                product,
                stars=int(row["stars"]),
                issued_on=issued,
                actor=admin,
                is_sample=True,
                criteria_set="QD148-2023" if year >= 2023 else "QD1048-2019",
                issuer=Certificate.Issuer.PROVINCE,
                note=(
                    f"Ngày cấp ước tính (31/12/{year}) theo năm công bố kết quả trong nguồn: "
                    f"{row['source_url']}"
                ),
            )
    log(f"demo: {created} sample products created ({len(rows)} in the file)")
    return created


def _ip_keywords(record) -> list[str]:
    from yaml import safe_load

    for item in safe_load((PRODUCT_DATA / "ip-records.yaml").read_text(encoding="utf-8")):
        if item["name"] == record.name:
            return item.get("product_keywords") or []
    return []


@transaction.atomic
def load(log=print) -> None:
    admin = _user(
        ADMIN_USERNAME, role=Role.OFFICE, first_name="Quản trị", last_name="hệ thống", superuser=True
    )
    _user("vanphong", role=Role.OFFICE, first_name="Văn phòng", last_name="OCOP tỉnh")
    _user("hoidong", role=Role.COUNCIL_MEMBER, first_name="Thành viên", last_name="hội đồng")
    # The helper team (tổ giúp việc) pre-checks dossiers: an office account in the group.
    helper = _user("togiupviec", role=Role.OFFICE, first_name="Tổ giúp việc", last_name="hội đồng tỉnh")
    helper.groups.add(Group.objects.get_or_create(name=HELPER_TEAM_GROUP)[0])
    chi_lang = Commune.objects.filter(code="06463").first()
    _user(
        "canbo.chilang",
        role=Role.COMMUNE_OFFICER,
        first_name="Cán bộ",
        last_name="xã Chi Lăng",
        communes=[chi_lang] if chi_lang else [],
    )
    load_sample_products(admin, log)
    load_illustrative_products(log)
    add_illustrative_photos(log)
    # After every demo product exists, so that a second run links nothing new.
    for record in IntellectualProperty.objects.all():
        link_ip_record(record, _ip_keywords(record))
    lua_vy = Producer.objects.filter(name="HTX Chế biến nông sản Lụa Vy").first()
    if lua_vy:
        _user("chuthe.luavy", role=Role.PRODUCER, first_name="HTX", last_name="Lụa Vy", producer=lua_vy)
    log(f"demo: accounts ready ({User.objects.count()} users); password of demo accounts: {DEMO_PASSWORD}")
