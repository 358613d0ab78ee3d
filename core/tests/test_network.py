"""The client's address (core.network.client_ip) and login throttling by username and by address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.network import client_ip

PROXY = "10.1.0.5"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.OCOP_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop(settings):
    settings.OCOP_TRUSTED_PROXIES = [PROXY, "10.2.0.0/16"]
    assert client_ip(_request(PROXY, "198.51.100.1")) == "198.51.100.1"
    # A client that sends its own X-Forwarded-For: nginx appends the real address, which wins.
    assert client_ip(_request(PROXY, "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    # Two trusted proxies in a row (a load balancer in 10.2/16, then nginx).
    assert client_ip(_request(PROXY, "198.51.100.1, 10.2.3.4")) == "198.51.100.1"
    assert client_ip(_request(PROXY, "[2001:db8::1]:4711")) == "2001:db8::1"
    # No header from the proxy: the proxy itself is all we know.
    assert client_ip(_request(PROXY)) == PROXY


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(settings):
    settings.OCOP_TRUSTED_PROXIES = [PROXY]
    assert client_ip(_request("203.0.113.9", "10.1.0.5, 198.51.100.1")) == "203.0.113.9"
    # Garbage in the chain stops the walk: nothing left of it is believed.
    assert client_ip(_request(PROXY, "198.51.100.1, not-an-ip")) == PROXY


def _fail(client, username, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": "wrong"}, **extra)


def _login(client, username, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": "pw-Test-12345"}, **extra)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_throttled_separately(client, users, settings):
    settings.OCOP_TRUSTED_PROXIES = [PROXY]
    for n in range(5):
        # Different usernames: only the address counts towards a lock here.
        _fail(client, f"nobody-{n}", PROXY, "198.51.100.1")
    assert _login(client, "office", PROXY, "198.51.100.1").status_code == 429
    # Another client behind the same nginx is not locked out.
    assert _login(client, "office", PROXY, "198.51.100.2").status_code == 302


@pytest.mark.django_db
def test_a_spoofed_forwarded_header_does_not_escape_the_address_lock(client, users, settings):
    settings.OCOP_TRUSTED_PROXIES = [PROXY]
    for n in range(5):
        _fail(client, f"nobody-{n}", "203.0.113.9", f"198.51.100.{n}")
    assert _login(client, "office", "203.0.113.9", "198.51.100.77").status_code == 429


@pytest.mark.django_db
def test_five_failures_from_five_addresses_lock_the_username(client, users, settings):
    settings.OCOP_TRUSTED_PROXIES = [PROXY]
    for n in range(4):
        assert _fail(client, "office", PROXY, f"198.51.100.{n}").status_code == 200
    assert _fail(client, "office", PROXY, "198.51.100.4").status_code == 429
    assert _login(client, "office", PROXY, "198.51.100.99").status_code == 429
    # Other accounts from those addresses still get in.
    assert _login(client, "council", PROXY, "198.51.100.1").status_code == 302


def test_api_throttling_does_not_believe_a_forged_forwarded_header():
    from rest_framework.throttling import AnonRateThrottle

    # Without trusted proxies (the default), DRF counts by the connection's address.
    assert AnonRateThrottle().get_ident(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
