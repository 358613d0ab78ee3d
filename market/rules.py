"""Who may read and write market-information pages. The office writes them; every back-office
role reads the published ones in the back-office; the public reads the public ones, and a
producers-only page needs a signed-in account (a producer's, or any back-office role's)."""

import rules

from accounts.roles import is_office, is_staff_member
from market.models import Audience


@rules.predicate
def is_live_page(user, page):
    if page is None:
        return True
    return page.is_live()


@rules.predicate
def is_public_page(user, page):
    if page is None:
        return True
    return page.audience == Audience.PUBLIC


rules.add_perm("market.manage_page", is_office)
rules.add_perm("market.view_page", is_office | (is_live_page & (is_public_page | is_staff_member)))
