"""Who may see and enter sales figures. A producer account: its own; a commune officer: the
producers of its communes; the office: everyone; council members: province aggregates only."""

import rules

from accounts.roles import is_commune_officer, is_council_member, is_office, is_producer_account
from producers.rules import is_my_producer, producer_in_my_communes

# The object is a producers.Producer (None: "may I use this kind of page at all").
can_view_producer_sales = (
    is_office | (is_commune_officer & producer_in_my_communes) | (is_producer_account & is_my_producer)
)

rules.add_perm("sales.view_producer_sales", can_view_producer_sales)
rules.add_perm("sales.change_producer_sales", can_view_producer_sales)
rules.add_perm("sales.list_producers", is_office | is_commune_officer)
# Aggregates: a commune officer's are limited to its communes by the views.
rules.add_perm("sales.view_summary", is_office | is_council_member | is_commune_officer)
