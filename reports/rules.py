"""Who may use the reports' pages that are not for every staff member.

The data-quality worklist is for the office (every record) and the commune officers (the records
of their communes, as the back-office lists show them: reports.quality.records)."""

import rules

from accounts.roles import is_commune_officer, is_office

can_view_quality = is_office | is_commune_officer

rules.add_perm("reports.view_quality", can_view_quality)

# The exchange with the national OCOP database (reports.national): the provincial office's, as
# its account on the national system is.
can_exchange_national = is_office

rules.add_perm("reports.exchange_national", can_exchange_national)
