"""factory-boy factories and role fixtures for the test suites of every app."""

import factory

from accounts.models import Role, User
from core.validators import _TAX_WEIGHTS


def valid_tax_code(n: int) -> str:
    """A 10-digit tax code with a correct check digit, distinct for each n."""
    for k in range(100):
        head = f"{48 + n % 50:02d}{n:05d}{k:02d}"[-9:]
        total = sum(int(d) * w for d, w in zip(head, _TAX_WEIGHTS, strict=True))
        if total % 11 != 0:
            return head + str(10 - total % 11)
    raise AssertionError(n)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "producers.Producer"

    name = factory.Sequence(lambda n: f"Hợp tác xã Nông sản Số {n}")
    slug = factory.Sequence(lambda n: f"htx-nong-san-so-{n}")
    kind = "htx"
    registration_code = factory.Sequence(valid_tax_code)
    search_text = factory.LazyAttribute(lambda o: o.name.lower())


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "products.Product"

    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    slug = factory.Sequence(lambda n: f"san-pham-thu-{n}")
    producer = factory.SubFactory(ProducerFactory)
    commune = factory.SelfAttribute("producer.commune")
    status = "active"
    processing_level = "processed"  # classified: a blank level is a data-quality gap


TEST_PASSWORD = "pw-Test-12345"  # every test user's (core.testing.browser signs in with it)


def make_user(username, role, *, communes=(), producer=None, superuser=False):
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, role=role, producer=producer, is_superuser=superuser
    )
    if communes:
        user.communes.set(communes)
    return user


def make_users(communes) -> dict:
    """One account per role; the commune officer answers for Chi Lăng (06463)."""
    from producers.models import Producer

    chi_lang, other = communes["06463"], communes["06040"]
    own = ProducerFactory(name="HTX Na Chi Lăng", commune=chi_lang)
    foreign = ProducerFactory(name="HTX Thạch đen Thất Khê", commune=other)
    producer_account_of = ProducerFactory(name="HKD Sầm Thu", kind="hkd", commune=chi_lang)
    return {
        "office": make_user("office", Role.OFFICE),
        "officer": make_user("officer", Role.COMMUNE_OFFICER, communes=[chi_lang]),
        "council": make_user("council", Role.COUNCIL_MEMBER),
        "producer": make_user("producer", Role.PRODUCER, producer=producer_account_of),
        "nobody": make_user("nobody", ""),
        "own_producer": own,
        "foreign_producer": foreign,
        "producer_account_of": Producer.objects.get(pk=producer_account_of.pk),
        "chi_lang": chi_lang,
        "other_commune": other,
    }
