"""Who may see and manage training and support. The office manages programmes, grants and
courses; every back-office role sees programmes and courses; what a producer received is seen
by whoever may see the producer; totals by the office and council members."""

import rules

from accounts.roles import is_council_member, is_office, is_staff_member
from producers.rules import can_view_producer

rules.add_perm("support.view_programme", is_staff_member)
rules.add_perm("support.add_programme", is_office)
rules.add_perm("support.change_programme", is_office)
rules.add_perm("support.add_grant", is_office)
rules.add_perm("support.change_grant", is_office)
rules.add_perm("support.view_course", is_staff_member)
rules.add_perm("support.add_course", is_office)
rules.add_perm("support.change_course", is_office)
rules.add_perm("support.manage_attendance", is_office)
# The object is a producers.Producer.
rules.add_perm("support.view_producer_support", can_view_producer)
rules.add_perm("support.view_totals", is_office | is_council_member)
