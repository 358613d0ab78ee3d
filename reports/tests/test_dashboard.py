"""The dashboard's numbers equal direct counts, for each role's scope; a fixed number of queries."""

import datetime as dt
import json
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import CertificateStatus
from producers.models import Producer, ProducerKind
from products.models import Product
from reports.selectors import figures, province_scope, scope_for, year_ends
from reports.tests.helpers import build_world, more_products, today

URL = reverse("reports:dashboard")
IN_FORCE = (CertificateStatus.VALID, CertificateStatus.EXPIRING)


def direct_certified(products, day):
    """(product, certificate) of every non-draft product certified on `day`, counted in Python
    from each certificate's own status_on(): an independent reading of the rule."""
    rows = []
    for product in products.exclude(status__in=("draft", "withdrawn")).prefetch_related("certificates"):
        certificates = list(product.certificates.all())
        if day >= today():
            current = [c for c in certificates if c.is_current and c.status_on(day) in IN_FORCE]
        else:
            issued = [c for c in certificates if c.issued_on <= day]
            latest = max((c.issued_on for c in issued), default=None)
            current = [c for c in issued if c.issued_on == latest and c.status_on(day) in IN_FORCE]
        if current:
            rows.append((product, current[0]))
    return rows


def place(product):
    return product.commune or product.producer.commune


def check_against_direct(result, products, producers, day):
    rows = direct_certified(products, day)
    assert result.certified == len(rows)
    stars = Counter(c.stars for _p, c in rows)
    assert {r.code: r.count for r in result.by_star} == {str(s): stars.get(s, 0) for s in (3, 4, 5)}
    communes = Counter(place(p).code if place(p) else "" for p, _c in rows)
    assert {r.code: r.count for r in result.by_commune} == dict(communes)
    districts = Counter()
    for p, _c in rows:
        for d in place(p).former_districts.all() if place(p) else ():
            districts[d.code] += 1
    assert {r.code: r.count for r in result.by_district if r.count} == dict(districts)
    groups = Counter(p.category.group.code if p.category else "" for p, _c in rows)
    assert {r.code: r.count for r in result.by_group if r.count} == dict(groups)
    years = Counter(str(c.issued_on.year) for _p, c in rows)
    assert {r.code: r.count for r in result.by_year} == dict(years)
    for point in result.timeline:
        valid = direct_certified(products, point.day)
        ever = {
            p.pk
            for p in products.exclude(status__in=("draft", "withdrawn")).prefetch_related("certificates")
            if any(c.issued_on <= point.day for c in p.certificates.all())
        }
        assert (point.valid, point.lapsed) == (len(valid), len(ever) - len(valid)), point.day
    kinds = Counter(producers.values_list("kind", flat=True))
    assert {r.code: r.count for r in result.producers_by_kind} == {
        k.value: kinds.get(k.value, 0) for k in ProducerKind
    }


@pytest.mark.django_db
def test_province_view_equals_direct_counts(client, users, communes):
    world = build_world(users, communes)
    client.force_login(users["office"])
    response = client.get(URL)
    assert response.status_code == 200
    result = response.context["figures"]
    check_against_direct(result, Product.objects.all(), Producer.objects.all(), today())
    # The world, read by hand: valid 4★ ×2 (one after an upgrade), 5★, 3★ expiring, 3★ placeless.
    assert result.certified == 5
    assert {r.code: r.count for r in result.by_star} == {"3": 2, "4": 2, "5": 1}
    assert result.expiring == {6: 1, 3: 1, 1: 0}
    assert [e.product for e in result.expiring_list] == [world["expiring3"].name]
    # The 3★ products closest to 4★: the dossier's score first, else the certificate's.
    assert [(r.product, str(r.score)) for r in result.pipeline] == [
        (world["placeless"].name, "69.50"),
        (world["expiring3"].name, "66.00"),
    ]
    assert result.pipeline_total == 2
    # The draft's certificate counts nowhere; a lapsed product shows in the timeline.
    assert result.timeline[-1].day == today()
    assert result.timeline[-1].lapsed == 2  # expired and revoked
    assert [p.day for p in result.timeline] == year_ends(today())


@pytest.mark.django_db
def test_council_member_sees_the_province(client, users, communes):
    build_world(users, communes)
    client.force_login(users["council"])
    result = client.get(URL).context["figures"]
    assert result.certified == figures(province_scope()).certified == 5


@pytest.mark.django_db
def test_commune_officer_sees_own_communes_only(client, users, communes):
    build_world(users, communes)
    client.force_login(users["officer"])
    response = client.get(URL)
    result = response.context["figures"]
    mine = Product.objects.filter(commune=users["chi_lang"]) | Product.objects.filter(
        producer__commune=users["chi_lang"]
    )
    check_against_direct(result, mine, Producer.objects.filter(commune=users["chi_lang"]), today())
    assert result.certified == 3
    assert [r.label for r in result.by_commune] == ["Xã Chi Lăng"]
    assert "Thạch đen Thất Khê" not in response.content.decode()
    # Another commune in the URL is not one of the officer's: ignored, the scope stays.
    other = client.get(URL, {"commune": "06040"}).context["figures"]
    assert other.certified == 3


@pytest.mark.django_db
def test_commune_filter_in_the_url(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    result = client.get(URL, {"commune": "06040"}).context["figures"]
    thatkhe = Product.objects.filter(commune=communes["06040"]) | Product.objects.filter(
        commune__isnull=True, producer__commune=communes["06040"]
    )
    check_against_direct(result, thatkhe, Producer.objects.filter(commune=communes["06040"]), today())
    assert result.certified == 2  # the 5★ and the placeless 3★


@pytest.mark.django_db
def test_producer_sees_only_its_own(client, users, communes):
    build_world(users, communes)
    client.force_login(users["producer"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["figures"].certified == 0
    assert "commune" not in response.context["form"].fields


@pytest.mark.django_db
def test_year_filter_takes_the_year_end(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    year = today().year - 2
    result = client.get(URL, {"year": year}).context["figures"]
    assert result.day == dt.date(year, 12, 31)
    check_against_direct(result, Product.objects.all(), Producer.objects.all(), dt.date(year, 12, 31))
    assert result.timeline[-1].day == dt.date(year, 12, 31)


@pytest.mark.django_db
def test_charts_read_the_same_numbers_as_the_tables(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    response = client.get(URL)
    html = response.content.decode()
    start = html.index('<script id="report-data" type="application/json">') + len(
        '<script id="report-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    result = response.context["figures"]
    assert data["by_star"]["values"] == [r.count for r in result.by_star]
    assert data["timeline"]["valid"] == [p.valid for p in result.timeline]
    assert "reports/vendor/chart.umd.min.js" in html and "cdn" not in html.lower()


@pytest.mark.django_db
def test_vietnamese_number_format(client, users, communes, monkeypatch):
    from reports import selectors
    from reports.selectors import Figures

    real = selectors.figures  # the dashboard reads it through selectors.cached_figures

    def big(scope, **kwargs):
        result: Figures = real(scope, **kwargs)
        result.by_star[0].count = 1234
        return result

    monkeypatch.setattr(selectors, "figures", big)
    client.force_login(users["office"])
    html = client.get(URL).content.decode()
    assert "1.234" in html


@pytest.mark.django_db
def test_fixed_number_of_queries(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    from django.core.cache import cache

    client.get(URL)  # warm the session and the content types
    cache.clear()  # the figures counted, not the kept ones (reports.selectors.cached_figures)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    more_products(users, communes, 12)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_anonymous_goes_to_login_and_no_role_is_refused(client, users):
    assert client.get(URL).status_code == 302
    client.force_login(users["nobody"])
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_scope_for_matches_visibility(users, communes):
    build_world(users, communes)
    assert scope_for(users["office"]).is_province
    assert not scope_for(users["officer"]).is_province


@pytest.mark.django_db
def test_figures_are_kept_per_scope_until_public_content_changes(client, users, communes):
    build_world(users, communes)
    client.force_login(users["office"])
    first = client.get(URL).context["figures"]
    with CaptureQueriesContext(connection) as kept:
        assert client.get(URL).context["figures"].certified == first.certified == 5
    client.force_login(users["officer"])  # another scope: its own figures
    assert client.get(URL).context["figures"].certified == 3
    client.force_login(users["office"])
    more_products(users, communes, 2)  # certificates issued: a new content generation
    with CaptureQueriesContext(connection) as counted:
        assert client.get(URL).context["figures"].certified == 7
    assert len(kept) < len(counted)


@pytest.mark.django_db
def test_a_dossier_step_shows_on_the_kept_dashboard_at_once(
    client, users, communes, django_capture_on_commit_callbacks
):
    # The figures are kept per content generation (reports.selectors.cached_figures); the upgrade
    # pipeline reads dossiers, whose services bump the dossiers' generation on commit, so the
    # next request shows the step instead of the kept pipeline (it lagged up to 5 minutes).
    from decimal import Decimal

    from django.core.cache import cache

    from evaluation.models import Dossier, DossierState
    from evaluation.services import dossier_reevaluate_returned

    cache.clear()
    world = build_world(users, communes)
    returned = Dossier.objects.create(
        product=world["expiring3"], state=DossierState.RETURNED, score=Decimal("70"), stars=3
    )
    client.force_login(users["office"])

    def pipeline():
        rows = client.get(URL).context["figures"].pipeline
        return [(r.product, str(r.score)) for r in rows]

    assert pipeline() == [(world["expiring3"].name, "70.00"), (world["placeless"].name, "69.50")]
    with django_capture_on_commit_callbacks(execute=True):
        dossier_reevaluate_returned(returned, actor=users["office"], comment="Bộ trả lại")
    assert pipeline() == [(world["placeless"].name, "69.50"), (world["expiring3"].name, "66.00")]


@pytest.mark.django_db
def test_holding_a_certificate_bumps_the_content_generation(
    users, communes, django_capture_on_commit_callbacks
):
    # certificate_hold moves valid_until, which the kept figures and the public pages count:
    # it bumps the content generation, now and on commit, like every other certificate step.
    from certificates.services import certificate_hold
    from core.content import public_content_generation

    world = build_world(users, communes)
    before = public_content_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held = certificate_hold(world["expiring3"].certificates.get(is_current=True), actor=users["office"])
    assert held.held_until is not None
    assert public_content_generation() == before + 2 and callbacks
