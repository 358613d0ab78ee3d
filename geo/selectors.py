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
