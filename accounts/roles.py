"""Role predicates shared by every app's rules module (django-rules)."""

import rules

from accounts.models import Role


@rules.predicate
def is_office(user):
    return user.is_authenticated and (user.is_superuser or user.role == Role.OFFICE)


@rules.predicate
def is_commune_officer(user):
    return user.is_authenticated and user.role == Role.COMMUNE_OFFICER


@rules.predicate
def is_council_member(user):
    return user.is_authenticated and user.role == Role.COUNCIL_MEMBER


@rules.predicate
def is_producer_account(user):
    return user.is_authenticated and user.role == Role.PRODUCER and user.producer_id is not None


# The province's helper team (tổ giúp việc / tổ tư vấn of the council): a group, not a role, since its
# members are office staff or council members who also pre-check dossiers (evaluation.selfassessment).
HELPER_TEAM_GROUP = "Tổ giúp việc"


@rules.predicate
def is_helper_team(user):
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_helper_team", None)
    if cached is None:
        cached = user.groups.filter(name=HELPER_TEAM_GROUP).exists()
        user._is_helper_team = cached
    return cached


is_staff_member = is_office | is_commune_officer | is_council_member | is_producer_account | is_helper_team


def commune_ids(user) -> set[int]:
    """The communes an officer answers for, read once per request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_commune_ids", None)
    if cached is None:
        cached = set(user.communes.values_list("id", flat=True))
        user._commune_ids = cached
    return cached
