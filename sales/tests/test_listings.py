"""Listings on sales channels (ProductListing), kept from the product's sales links."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.testing import ProductFactory
from jobs.testing import run_jobs
from products.services import product_set_sales_links
from sales.models import ProductListing
from sales.services import listing_update, listings_sync

pytestmark = pytest.mark.django_db
SHOPEE = {"platform": "shopee", "url": "https://shopee.vn/xuc-xich"}
TIKTOK = {"platform": "tiktok_shop", "url": "https://www.tiktok.com/@samthu"}


def set_links(product, links, actor):
    with run_jobs():  # runs the on-commit listings_sync
        product_set_sales_links(product, links, actor=actor)


def test_links_open_and_end_listings_and_keep_their_date(users):
    product = ProductFactory(producer=users["producer_account_of"])
    set_links(product, [SHOPEE], users["producer"])
    shopee = ProductListing.objects.get(product=product)
    assert (shopee.channel, shopee.url, shopee.ended_on) == ("shopee", SHOPEE["url"], None)
    assert shopee.listed_since == timezone.localdate()
    # Say it was on Shopee since 2024: a later edit of the links keeps that date.
    ProductListing.objects.filter(pk=shopee.pk).update(listed_since=dt.date(2024, 3, 1))
    set_links(product, [SHOPEE, TIKTOK], users["producer"])
    set_links(product, [TIKTOK], users["producer"])
    rows = {li.channel: li for li in ProductListing.objects.filter(product=product)}
    assert rows["shopee"].listed_since == dt.date(2024, 3, 1)
    assert rows["shopee"].ended_on == timezone.localdate()
    assert rows["tiktok_shop"].ended_on is None
    # Back on Shopee: a new listing, the ended one stays as history.
    set_links(product, [TIKTOK, SHOPEE], users["producer"])
    assert ProductListing.objects.filter(product=product, channel="shopee").count() == 2


def test_sync_is_idempotent_and_ignores_a_deleted_product(users):
    product = ProductFactory(producer=users["own_producer"])
    set_links(product, [SHOPEE], users["office"])
    listings_sync(product.pk)
    listings_sync(product.pk)
    assert ProductListing.objects.filter(product=product).count() == 1
    pk = product.pk
    product.delete()
    listings_sync(pk)  # no error


def test_database_refuses_two_open_listings_of_one_link_and_an_end_before_the_start(users):
    product = ProductFactory(producer=users["own_producer"])
    day = dt.date(2025, 1, 1)
    ProductListing.objects.create(
        product=product, channel="shopee", url="https://shopee.vn/a", listed_since=day
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductListing.objects.create(
            product=product, channel="shopee", url="https://shopee.vn/a", listed_since=day
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductListing.objects.create(
            product=product, channel="lazada", url="", listed_since=day, ended_on=day - dt.timedelta(days=1)
        )


def test_listing_dates_are_corrected_by_who_may_change_the_product(users):
    product = ProductFactory(producer=users["producer_account_of"])
    set_links(product, [SHOPEE], users["producer"])
    listing = ProductListing.objects.get(product=product)
    listing_update(listing, actor=users["producer"], listed_since=dt.date(2023, 5, 2))
    assert ProductListing.objects.get(pk=listing.pk).listed_since == dt.date(2023, 5, 2)
    with pytest.raises(ValidationError) as exc:
        listing_update(
            listing, actor=users["producer"], listed_since=dt.date(2023, 5, 2), ended_on=dt.date(2023, 1, 1)
        )
    assert "ended_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        listing_update(
            listing, actor=users["producer"], listed_since=timezone.localdate() + dt.timedelta(days=3)
        )
    assert "listed_since" in exc.value.message_dict
    other = ProductFactory(producer=users["foreign_producer"])
    set_links(other, [SHOPEE], users["office"])
    with pytest.raises(PermissionDenied):
        listing_update(
            ProductListing.objects.get(product=other),
            actor=users["producer"],
            listed_since=dt.date(2024, 1, 1),
        )


def test_product_page_shows_listings_and_the_edit_form_saves(client, users):
    product = ProductFactory(producer=users["producer_account_of"])
    set_links(product, [SHOPEE], users["producer"])
    listing = ProductListing.objects.get(product=product)
    client.force_login(users["producer"])
    page = client.get(reverse("backoffice:product_detail", args=[product.pk])).content.decode()
    assert "Lịch sử bán trên các kênh" in page and reverse("sales:listing_edit", args=[listing.pk]) in page
    response = client.post(reverse("sales:listing_edit", args=[listing.pk]), {"listed_since": "02/05/2023"})
    assert response.status_code == 302
    assert ProductListing.objects.get(pk=listing.pk).listed_since == dt.date(2023, 5, 2)
    response = client.post(
        reverse("sales:listing_edit", args=[listing.pk]),
        {"listed_since": "02/05/2023", "ended_on": "01/01/2023"},
    )
    assert response.status_code == 200 and response.context["form"].errors["ended_on"]


def test_migration_backfills_listings_from_existing_links_dated_by_their_history(users):
    import importlib

    from django.apps import apps

    from products.models import ProductSalesLink

    backfill = importlib.import_module("sales.migrations.0004_listings_from_sales_links").forward
    product = ProductFactory(producer=users["own_producer"])
    link = ProductSalesLink.objects.create(product=product, **SHOPEE)  # on-commit sync never runs here
    link.history.filter(history_type="+").update(history_date=timezone.make_aware(dt.datetime(2024, 2, 3, 9)))
    assert not ProductListing.objects.exists()
    backfill(apps, None)
    listing = ProductListing.objects.get()
    assert (listing.product, listing.channel, listing.url) == (product, "shopee", SHOPEE["url"])
    assert listing.listed_since == dt.date(2024, 2, 3) and listing.ended_on is None
