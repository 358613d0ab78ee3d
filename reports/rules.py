"""Who may use the reports' pages that are not for every staff member.

The data-quality worklist is for the office (every record) and the commune officers (the records
of their communes, as the back-office lists show them: reports.quality.records)."""

import rules

from accounts.roles import is_commune_officer, is_office

can_view_quality = is_office | is_commune_officer

rules.add_perm("reports.view_quality", can_view_quality)
