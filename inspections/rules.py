"""Who may see and record inspections. The office plans and records; council members read;
a commune officer reads the visits to its communes' products (the selectors scope the lists)."""

import rules

from accounts.roles import commune_ids, is_commune_officer, is_council_member, is_office


@rules.predicate
def visit_in_my_communes(user, visit):
    if visit is None:
        return True
    return bool(visit.product.commune_ids & set(commune_ids(user)))


can_view = is_office | is_council_member | (is_commune_officer & visit_in_my_communes)

rules.add_perm("inspections.view_inspectionvisit", can_view)
rules.add_perm("inspections.view_inspectionplan", is_office | is_council_member | is_commune_officer)
rules.add_perm("inspections.add_inspectionplan", is_office)
rules.add_perm("inspections.change_inspectionplan", is_office)
rules.add_perm("inspections.add_inspectionvisit", is_office)
rules.add_perm("inspections.change_inspectionvisit", is_office)
rules.add_perm("inspections.delete_inspectionvisit", rules.always_deny)
rules.add_perm("inspections.delete_inspectionplan", rules.always_deny)
