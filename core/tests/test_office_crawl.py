"""Every back-office page, signed in as the provincial office, on the demo data: no server error.

One test walks every URL pattern under /quan-ly/ (a new pattern is covered without editing this
file): list pages also with odd query strings, pages with ids at the ids their lists link to (else
at a missing id), then every page again as an empty POST. Each 500 found so far has its own test
beside the fix; this keeps future ones from reaching users."""

import os
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from accounts.models import User

PREFIX = "quan-ly/"
ODD_QUERIES = (
    "page=abc",
    "page=-1",
    "page=99999",
    "q=%00%27%22",
    "commune=abc&producer=abc&product=abc&category=abc&round=abc&programme=abc",
    "year=abc&nam=-1&month=13&thang=abc&status=zzz&kind=zzz&state=zzz&stars=9",
    "from=31/02/2026&to=abc&date_from=2026-13-45&issued_from=abc",
    "certificate=abc&vung=abc&size=abc",
)
HREF = re.compile(r'href="(/quan-ly/[^"#?]*)"')
# Downloads are produced by background jobs or are files: fetched once, not fuzzed.
FILE_SUFFIXES = (".xlsx", ".pdf", ".csv", ".png", ".svg", ".zip")


def patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith(PREFIX):
            yield route


def fill(route: str, value: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value if m.group(1) in (None, "int") else "x", route)


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


@pytest.fixture
def office_client(db, client):
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    client.force_login(User.objects.get(username="vanphong"))
    return client


def test_no_office_page_answers_with_a_server_error(office_client):
    client = office_client
    routes = sorted(set(patterns()))
    failures = []

    def hit(method, url, **data):
        try:
            response = getattr(client, method)(url, data)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, with its URL
            failures.append(f"{method.upper()} {url}: {type(exc).__name__}: {exc}"[:300])
            return None
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url}: {response.status_code}")
        return response

    examples: dict[str, str] = {}

    def visit(url, odd=False):
        response = hit("get", url)
        if response is None or response.status_code != 200 or url.endswith(FILE_SUFFIXES):
            return
        if "html" not in response.get("Content-Type", ""):
            return
        for href in HREF.findall(response.content.decode()):
            route = route_of(href)
            if route and "<" in route:
                examples.setdefault(route, href)
        if odd:
            for query in ODD_QUERIES:
                hit("get", f"{url}?{query}")

    for route in routes:
        if "<" not in route:
            visit(fill(route, ""), odd=True)
    # Pages linked from the detail pages (a round's score sheets, a course's roll call).
    for url in list(examples.values()):
        visit(url)
    for route in routes:
        if "<" in route:
            if route in examples:
                hit("get", examples[route])
            hit("get", fill(route, "999999"))
    # Forms submitted empty; last, since some delete or change what the pages above show.
    for route in routes:
        url = examples.get(route) or fill(route, "")
        if "<" in route and route not in examples:
            continue
        if not urlsplit(url).path.endswith(FILE_SUFFIXES):
            hit("post", url)
    assert not failures, "\n".join(failures)
    assert len(examples) >= 30  # the crawl reached the detail pages, not only the lists
