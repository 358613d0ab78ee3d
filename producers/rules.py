"""Who may see and change producers. Tested as a matrix in producers/tests/test_rules.py."""

import rules

from accounts.roles import (
    commune_ids,
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
)


@rules.predicate
def producer_in_my_communes(user, producer):
    if producer is None:
        return True  # the question "may I use this kind of page at all"
    return producer.commune_id is not None and producer.commune_id in commune_ids(user)


@rules.predicate
def is_my_producer(user, producer):
    if producer is None:
        return True
    return user.producer_id == producer.pk


can_view_producer = (
    is_office
    | is_council_member
    | (is_commune_officer & producer_in_my_communes)
    | (is_producer_account & is_my_producer)
)
can_change_producer = (
    is_office | (is_commune_officer & producer_in_my_communes) | (is_producer_account & is_my_producer)
)

rules.add_perm("producers.view_producer", can_view_producer)
rules.add_perm("producers.add_producer", is_office | is_commune_officer)
rules.add_perm("producers.change_producer", can_change_producer)
rules.add_perm("producers.delete_producer", is_office)
