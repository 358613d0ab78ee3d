"""Account-level permissions. Shared code (core.web) asks for these by name, so that it needs no
import of accounts."""

import rules

from accounts.roles import is_staff_member

# Any signed-in account with a role: the staff pages (/quan-ly/) and their helpers.
rules.add_perm("accounts.use_staff_pages", is_staff_member)
