from core.text import fold_words
from geo.models import Commune, FormerDistrict, OldUnit


def communes_with_districts():
    return Commune.objects.prefetch_related("former_districts").order_by("name")


def resolve_old_address(old_name: str, old_district: str | None = None) -> Commune | None:
    """Today's unit for a pre-2025 commune named in an address, or None when the
    reference cannot tell (unknown, ambiguous name, or a commune split in two).

    Names repeat across districts, so a name alone resolves only when it is unique."""
    wanted = fold_words(old_name)
    for prefix in ("xa ", "phuong ", "thi tran ", "tt "):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :]
    candidates = [
        u
        for u in OldUnit.objects.select_related("old_district", "new_commune")
        if fold_words(u.old_name) == wanted
    ]
    if old_district:
        district = fold_words(old_district).removeprefix("huyen ").removeprefix("thanh pho ")
        district = district.removeprefix("tp ")
        candidates = [
            u for u in candidates if fold_words(u.old_district.name).removeprefix("tp ") == district
        ]
    new_units = {u.new_commune_id: u.new_commune for u in candidates}
    if len(new_units) == 1:
        return next(iter(new_units.values()))
    return None


def commune_by_name(name: str) -> Commune | None:
    wanted = fold_words(name)
    for prefix in ("xa ", "phuong "):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :]
    matches = [c for c in Commune.objects.all() if fold_words(c.name) == wanted]
    return matches[0] if len(matches) == 1 else None


def former_district_by_name(name: str) -> FormerDistrict | None:
    wanted = fold_words(name).removeprefix("huyen ").removeprefix("thanh pho ").removeprefix("tp ")
    for d in FormerDistrict.objects.all():
        if fold_words(d.name).removeprefix("tp ") == wanted:
            return d
    return None
