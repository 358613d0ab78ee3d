"""Who may see and change products. A product follows its producer's commune for
commune officers, and its producer for producer accounts."""

import rules

from accounts.roles import (
    commune_ids,
    is_commune_officer,
    is_council_member,
    is_office,
    is_producer_account,
)


@rules.predicate
def product_in_my_communes(user, product):
    if product is None:
        return True
    return bool(product.commune_ids & set(commune_ids(user)))


@rules.predicate
def is_my_product(user, product):
    if product is None:
        return True
    return product.producer_id == user.producer_id


can_view_product = (
    is_office
    | is_council_member
    | (is_commune_officer & product_in_my_communes)
    | (is_producer_account & is_my_product)
)
can_change_product = (
    is_office | (is_commune_officer & product_in_my_communes) | (is_producer_account & is_my_product)
)

rules.add_perm("products.view_product", can_view_product)
rules.add_perm("products.add_product", is_office | is_commune_officer | is_producer_account)
rules.add_perm("products.change_product", can_change_product)
rules.add_perm("products.delete_product", is_office)
# Taking a product off the public pages is the provincial office's decision.
rules.add_perm("products.withdraw_product", is_office)
rules.add_perm(
    "products.view_intellectualproperty",
    is_office | is_council_member | is_commune_officer | is_producer_account,
)
rules.add_perm("products.add_intellectualproperty", is_office)
rules.add_perm("products.change_intellectualproperty", is_office)
rules.add_perm("products.view_classification", rules.is_authenticated)
