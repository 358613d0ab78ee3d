"""Who may see and change batches: they follow their product (products.rules). A producer account
its own products' batches, a commune officer those of the products of its communes, the office
all of them; council members read. Tested as a matrix in traceability/tests/test_rules.py."""

import rules

from accounts.roles import is_commune_officer, is_council_member, is_office, is_producer_account
from products.rules import is_my_product, product_in_my_communes


@rules.predicate
def batch_in_my_communes(user, batch):
    return product_in_my_communes(user, batch.product if batch is not None else None)


@rules.predicate
def is_my_batch(user, batch):
    return is_my_product(user, batch.product if batch is not None else None)


can_view_batch = (
    is_office
    | is_council_member
    | (is_commune_officer & batch_in_my_communes)
    | (is_producer_account & is_my_batch)
)
can_change_batch = (
    is_office | (is_commune_officer & batch_in_my_communes) | (is_producer_account & is_my_batch)
)

rules.add_perm("traceability.view_batch", can_view_batch)
rules.add_perm("traceability.add_batch", is_office | is_commune_officer | is_producer_account)
rules.add_perm("traceability.change_batch", can_change_batch)
rules.add_perm("traceability.recall_batch", can_change_batch)
rules.add_perm("traceability.delete_batch", can_change_batch)
