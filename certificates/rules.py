"""Who may see and change certificates (tested as a matrix in tests/test_access.py).

The office issues, records historical certificates, records violations and revokes; council
members see everything; commune officers see the certificates of their communes' products
(the product's commune or its producer's); a producer account sees its own."""

import rules

from accounts.roles import (
    commune_ids,
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
    is_staff_member,
)


@rules.predicate
def certificate_in_my_communes(user, certificate):
    if certificate is None:
        return True  # "may I use this kind of page at all"
    return bool(certificate.product.commune_ids & set(commune_ids(user)))


@rules.predicate
def is_my_certificate(user, certificate):
    if certificate is None:
        return True
    return certificate.product.producer_id == user.producer_id


can_view_certificate = (
    is_office
    | is_council_member
    | (is_commune_officer & certificate_in_my_communes)
    | (is_producer_account & is_my_certificate)
)

rules.add_perm("certificates.view_certificate", can_view_certificate)
rules.add_perm("certificates.add_certificate", is_office)
rules.add_perm("certificates.change_certificate", is_office)
rules.add_perm("certificates.delete_certificate", rules.always_deny)
rules.add_perm("certificates.revoke_certificate", is_office)
rules.add_perm("certificates.add_decision", is_office)
rules.add_perm("certificates.view_decision", is_staff_member)
rules.add_perm("certificates.add_violation", is_office)
rules.add_perm("certificates.send_reminder", is_office)
rules.add_perm("certificates.view_violation", is_office)
