"""Loads the administrative units from the project's own data files (idempotent)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from geo.models import Commune, FormerDistrict, OldUnit

DATA = Path(__file__).resolve().parent / "data"
ORDER = 10


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


@transaction.atomic
def load(log=print) -> None:
    districts = {}
    for row in _rows("former-districts.csv"):
        d, _ = FormerDistrict.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "full_name": row["full_name"],
                "lat": Decimal(row["lat"]),
                "lng": Decimal(row["lng"]),
                "source": row["source"],
            },
        )
        districts[d.name] = d
    count = 0
    for row in _rows("units-2025.csv"):
        commune, _ = Commune.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "lat": Decimal(row["lat"]),
                "lng": Decimal(row["lng"]),
                "area_km2": Decimal(row["area_km2"]) if row["area_km2"] else None,
                "population": int(row["population"]) if row["population"] else None,
                "merged_from": row["merged_from"],
                "source": row["source"],
                "confidence": row["confidence"],
            },
        )
        names = [n.strip() for n in row["former_districts"].split(";") if n.strip()]
        commune.former_districts.set([districts[n] for n in names])
        count += 1
    by_code = {d.code: d for d in districts.values()}
    communes = {c.code: c for c in Commune.objects.all()}
    old = 0
    for row in _rows("old-to-new-2025.csv"):
        OldUnit.objects.update_or_create(
            old_code=row["old_code"],
            new_commune=communes[row["new_code"]],
            defaults={
                "old_name": row["old_name"],
                "old_kind": row["old_kind"],
                "old_district": by_code[row["old_district_code"]],
                "merge_type": row["merge_type"],
                "source": row["source"],
            },
        )
        old += 1
    log(f"geo: {len(districts)} former districts, {count} communes/wards, {old} old→new rows")
