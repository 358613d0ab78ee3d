"""Who may see and manage promotion events. The office manages events and records results;
every back-office role sees them (results: the office and council members all, a commune
officer those of its communes' producers, a producer its own); a producer account may
register itself for an upcoming event and withdraw its own registration before the event starts."""

import rules
from django.utils import timezone

from accounts.roles import (
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
    is_staff_member,
)


@rules.predicate
def event_is_open(user, event):
    """Published and not started yet (None: the question "may I register at all")."""
    if event is None:
        return True
    return event.is_published and event.start_date > timezone.localdate()


@rules.predicate
def is_own_self_registration(user, participation):
    if participation is None:
        return True
    return (
        participation.producer_id == user.producer_id
        and participation.self_registered
        and participation.event.start_date > timezone.localdate()
        and participation.results_recorded_at is None
    )


rules.add_perm("promotion.view_event", is_staff_member)
rules.add_perm("promotion.add_event", is_office)
rules.add_perm("promotion.change_event", is_office)
rules.add_perm("promotion.delete_event", is_office)
rules.add_perm("promotion.manage_participation", is_office)
rules.add_perm("promotion.record_results", is_office)
# Results of every participant and the yearly report: the office, and council members read-only.
rules.add_perm("promotion.view_results", is_office | is_council_member)
rules.add_perm("promotion.register", is_producer_account & event_is_open)
rules.add_perm("promotion.withdraw", is_office | (is_producer_account & is_own_self_registration))
# The printable catalogue for fairs and partners: the office, and a commune officer for its communes.
can_print_catalogue = is_office | is_commune_officer
rules.add_perm("promotion.print_catalogue", can_print_catalogue)
