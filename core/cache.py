"""Django's Redis cache backend, with one redis client per connection pool.

Django 5.2 builds a new redis.Redis for every cache operation, and redis-py's constructor fills
its table of ~170 response callbacks each time: about 0.5 ms per operation, more than the
round trip itself, on every cached public page (two operations). A redis.Redis is safe to
share (connections come from its pool), so each pool keeps one."""

from django.core.cache.backends import redis as django_redis


class _ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
