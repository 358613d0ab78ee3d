"""Who may see and change raw-material areas. Tested as a matrix in areas/tests/test_access.py.

Office: everything. Commune officer: the areas of the communes they answer for (and creates areas
only there). Producer account: the areas linked to its own producer. Council member: read-only."""

import rules

from accounts.roles import (
    commune_ids,
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
)


@rules.predicate
def area_in_my_communes(user, area):
    if area is None:
        return True  # the question "may I use this kind of page at all"
    return area.commune_id in commune_ids(user)


@rules.predicate
def is_my_area(user, area):
    if area is None:
        return True
    linked = getattr(area, "_producer_ids", None)
    if linked is None:
        linked = set(area.producers.values_list("id", flat=True)) if area.pk else set()
        area._producer_ids = linked
    return user.producer_id in linked


can_view_area = (
    is_office
    | is_council_member
    | (is_commune_officer & area_in_my_communes)
    | (is_producer_account & is_my_area)
)
can_change_area = is_office | (is_commune_officer & area_in_my_communes) | (is_producer_account & is_my_area)

rules.add_perm("areas.view_rawmaterialarea", can_view_area)
rules.add_perm("areas.add_rawmaterialarea", is_office | is_commune_officer | is_producer_account)
rules.add_perm("areas.change_rawmaterialarea", can_change_area)
rules.add_perm("areas.delete_rawmaterialarea", is_office | (is_commune_officer & area_in_my_communes))
