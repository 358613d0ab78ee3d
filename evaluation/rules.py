"""Who may act on dossiers, rounds and score sheets."""

import rules

from accounts.roles import (
    commune_ids,
    is_commune_officer,
    is_council_member,
    is_helper_team,
    is_office,
    is_producer_account,
    is_staff_member,
)


@rules.predicate
def dossier_in_my_communes(user, dossier):
    if dossier is None:
        return True
    return bool(dossier.product.commune_ids & set(commune_ids(user)))


@rules.predicate
def is_my_dossier(user, dossier):
    if dossier is None:
        return True
    return dossier.product.producer_id == user.producer_id


@rules.predicate
def sits_on_the_council(user, round_):
    if round_ is None:
        return True
    return round_.chair_id == user.pk or round_.members.filter(pk=user.pk).exists()


@rules.predicate
def chairs(user, round_):
    return round_ is not None and round_.chair_id == user.pk


can_view_dossier = (
    is_office
    | is_council_member
    | is_helper_team
    | (is_commune_officer & dossier_in_my_communes)
    | (is_producer_account & is_my_dossier)
)

rules.add_perm("evaluation.view_dossier", can_view_dossier)
rules.add_perm("evaluation.add_dossier", is_office | is_commune_officer | is_producer_account)
rules.add_perm("evaluation.view_round", is_office | is_council_member)
rules.add_perm("evaluation.add_round", is_office)
rules.add_perm("evaluation.change_round", is_office)
rules.add_perm("evaluation.score_round", sits_on_the_council)
rules.add_perm("evaluation.close_round", chairs)
rules.add_perm("evaluation.view_criteriaset", is_staff_member)
rules.add_perm("evaluation.add_criteriaset", is_office)
rules.add_perm("evaluation.view_advice", is_staff_member)

# The dossier workflow: (from, to) → who may move it, and what the button says.
WHO = {
    "owner_or_commune": is_office
    | (is_commune_officer & dossier_in_my_communes)
    | (is_producer_account & is_my_dossier),
    "commune": is_office | (is_commune_officer & dossier_in_my_communes),
    "office": is_office,
}


# Issue 14: the dossier's documents and self-assessment are written while the dossier is being
# prepared (draft, with the commune); the helper team pre-checks it at the province before the council
# scores; the producer (or its commune) answers the helper team's queries meanwhile.
PREPARING = ("draft", "submitted")
AT_PROVINCE = ("commune_forwarded", "province_received", "in_round")


@rules.predicate
def dossier_being_prepared(user, dossier):
    return dossier is not None and dossier.state in PREPARING


@rules.predicate
def dossier_at_province(user, dossier):
    return dossier is not None and dossier.state in AT_PROVINCE


rules.add_perm("evaluation.change_dossier_papers", WHO["owner_or_commune"] & dossier_being_prepared)
rules.add_perm("evaluation.precheck_dossier", is_helper_team & dossier_at_province)
rules.add_perm("evaluation.answer_precheck", WHO["owner_or_commune"] & dossier_at_province)
