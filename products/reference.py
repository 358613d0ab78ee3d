"""Loads the OCOP product classification and the IP records (idempotent)."""

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from core.text import fold_words
from products.models import Classification, IntellectualProperty, Product

DATA = Path(__file__).resolve().parent / "data"
ORDER = 20


def load_classification(path: Path) -> int:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    scheme = doc["scheme"]
    position = 0

    def upsert(code, level, parent, group, item, is_leaf):
        nonlocal position
        position += 1
        node, _ = Classification.objects.update_or_create(
            scheme=scheme,
            code=code,
            defaults={
                "level": level,
                "parent": parent,
                "group": group,
                "name_vi": item["name_vi"],
                "name_en": item.get("name_en", ""),
                "sheet_name_vi": item.get("sheet_name_vi", ""),
                "ministry": item.get("ministry", ""),
                "sheet_number": item.get("sheet"),
                "is_leaf": is_leaf,
                "position": position,
            },
        )
        return node

    for g in doc["groups"]:
        group = upsert(g["code"], Classification.Level.GROUP, None, None, g, False)
        if group.group_id != group.pk:
            group.group = group
            group.save(update_fields=["group"])
        for n in g["nhom"]:
            subgroups = n.get("subgroups") or []
            nhom = upsert(n["code"], Classification.Level.NHOM, group, group, n, not subgroups)
            for sg in subgroups:
                item = {"ministry": n.get("ministry", ""), **sg}
                upsert(sg["code"], Classification.Level.SUBGROUP, nhom, group, item, True)
    return position


def load_ip_records(path: Path) -> int:
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in records:
        granted = item.get("granted_on")
        record, _ = IntellectualProperty.objects.update_or_create(
            kind=item["kind"],
            name=item["name"],
            defaults={
                "number": item.get("number") or "",
                "granted_on": granted if isinstance(granted, dt.date) else None,
                "decision": item.get("decision") or "",
                "holder": item.get("holder") or "",
                "scope": item.get("scope") or "",
                "note": item.get("note") or "",
                "source": f"{item.get('source', '')} [{item.get('confidence', '')}]".strip(),
            },
        )
        link_ip_record(record, item.get("product_keywords") or [])
    return len(records)


def link_ip_record(record: IntellectualProperty, keywords: list[str]) -> None:
    """Link products whose folded name contains one of the keywords (after demo load too)."""
    if not keywords:
        return
    folded = [fold_words(k) for k in keywords]
    for product in Product.objects.only("id", "name"):
        name = f" {fold_words(product.name)} "
        if any(f" {k} " in name for k in folded):
            record.products.add(product)


@transaction.atomic
def load(log=print) -> None:
    nodes = load_classification(DATA / "classification-QD26-2026.yaml")
    leaves = Classification.objects.filter(scheme="QD26-2026", is_leaf=True).count()
    log(f"products: classification QD26-2026 {nodes} nodes ({leaves} sub-groups)")
    log(f"products: {load_ip_records(DATA / 'ip-records.yaml')} intellectual-property records")
