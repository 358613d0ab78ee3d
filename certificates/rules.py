import rules

from accounts.roles import is_office, is_staff_member

rules.add_perm("certificates.view_certificate", is_staff_member)
rules.add_perm("certificates.add_certificate", is_office)
rules.add_perm("certificates.change_certificate", is_office)
rules.add_perm("certificates.delete_certificate", rules.always_deny)
