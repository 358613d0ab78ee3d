import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Anonymous throttling counts requests in the cache: each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_client(users):
    """token_client("office") → an APIClient sending that user's token."""

    def make(name):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=users[name])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
