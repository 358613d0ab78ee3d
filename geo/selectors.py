from accounts.models import Role
from accounts.roles import commune_ids
from core.text import fold_words
from geo.models import Commune, FormerDistrict, OldUnit


def communes_for(user):
    """The communes a user may pick in a form or filter: a commune officer only theirs."""
    qs = Commune.objects.order_by("name")
    if getattr(user, "role", None) == Role.COMMUNE_OFFICER:
        qs = qs.filter(id__in=commune_ids(user))
    return qs


def communes_with_districts():
    return Commune.objects.prefetch_related("former_districts").order_by("name")


def _strip_unit_prefix(folded: str) -> str:
    for prefix in ("xa ", "phuong ", "thi tran ", "tt "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def old_units_matching(old_name: str, district: FormerDistrict | None = None) -> list[OldUnit]:
    """Every pre-2025 unit whose folded name matches, with the unit it became."""
    wanted = _strip_unit_prefix(fold_words(old_name))
    qs = OldUnit.objects.select_related("old_district", "new_commune").order_by(
        "old_district__code", "old_code"
    )
    if district is not None:
        qs = qs.filter(old_district=district)
    return [u for u in qs if fold_words(u.old_name) == wanted]


def resolve_old_address(old_name: str, old_district: str | None = None) -> Commune | None:
    """Today's unit for a pre-2025 commune named in an address, or None when the
    reference cannot tell (unknown, ambiguous name, or a commune split in two).

    Names repeat across districts, so a name alone resolves only when it is unique."""
    district = former_district_by_name(old_district) if old_district else None
    if old_district and district is None:
        return None
    new_units = {u.new_commune_id: u.new_commune for u in old_units_matching(old_name, district)}
    if len(new_units) == 1:
        return next(iter(new_units.values()))
    return None


def commune_by_name(name: str) -> Commune | None:
    wanted = _strip_unit_prefix(fold_words(name))
    matches = [c for c in Commune.objects.all() if fold_words(c.name) == wanted]
    return matches[0] if len(matches) == 1 else None


def former_district_by_name(name: str) -> FormerDistrict | None:
    wanted = fold_words(name).removeprefix("huyen ").removeprefix("thanh pho ").removeprefix("tp ")
    for d in FormerDistrict.objects.all():
        if fold_words(d.name).removeprefix("tp ") == wanted:
            return d
    return None


# The names a product is found by where it is made (products.services.product_prepare): its
# commune and the former districts that commune was formed from ("bac son" finds the products of
# Bắc Sơn). Read for every commune in one query the first time a commune is asked for, and kept in
# the process: the importer prepares thousands of products and must not query per row. Any write
# of a commune or of its former districts clears it (geo.apps connects the signals).
_place_names: dict[int, tuple[str, ...]] = {}


def place_search_names(commune_id: int | None, name: str | None = None) -> tuple[str, ...]:
    """(commune name, former district names…) of the commune; () for None. `name`: the
    commune's name when the caller holds it (a kept entry under another name is re-read)."""
    if commune_id is None:
        return ()
    kept = _place_names.get(commune_id)
    if kept is None or (name is not None and kept[0] != name):
        names: dict[int, list[str]] = {}
        for pk, name in Commune.objects.values_list("pk", "name"):
            names[pk] = [name]
        links = Commune.former_districts.through.objects.values_list("commune_id", "formerdistrict__name")
        for pk, district in links.order_by("formerdistrict__code"):
            if pk in names and district not in names[pk]:
                names[pk].append(district)
        _place_names.clear()
        _place_names.update({pk: tuple(v) for pk, v in names.items()})
    return _place_names.get(commune_id, ())


def forget_place_names(**kwargs) -> None:
    _place_names.clear()
