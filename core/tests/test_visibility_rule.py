"""What the public may see is decided in one place each: "a draft is not public" in products.models
(public_q, Product.objects.public(), Product.is_public) and "a certificate is valid" in
certificates.models (valid_q, Certificate.objects.valid(), Certificate.is_valid). This scans the
project's code (not tests, not migrations) for the rules restated anywhere else."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_PARTS = {"tests", "testing", "migrations", "node_modules", "__pycache__"}

PRODUCT_RULE_HOME = "products/models.py"
CERTIFICATE_RULE_HOME = "certificates/models.py"
# Code that *creates* drafts (and so decides what a draft gets), not what the public sees.
# products/services.py: publish_certified, the one rule of what a certified draft becomes.
DRAFT_WRITERS = {"backoffice/synthetic.py", "products/services.py"}

QUERY_CALLS = {
    "filter",
    "exclude",
    "get",
    "Q",
    "Count",
    "Sum",
    "When",
    "Exists",
    "FilteredRelation",
    "annotate",
    "aggregate",
}
# Lookups that spell out validity: the expiry bound and the revocation bound.
VALIDITY_LOOKUPS = ("expires_on__gte", "revoked_on__gt")


def _project_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or SKIPPED_PARTS & set(parts) or parts[-1] == "conftest.py":
            continue
        yield path.relative_to(ROOT).as_posix(), path


def _is_draft(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "DRAFT"
        and isinstance(node.value, ast.Name)
        and node.value.id == "ProductStatus"
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _strings(node) -> list[str]:
    """Keyword names and string constants (f-string parts too) used in a call's arguments."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.keyword) and sub.arg:
            found.append(sub.arg)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.append(sub.value)
    return found


def restatements(source: str, name: str) -> list[str]:
    """Where `source` (the file `name`) restates the draft rule or the validity rule."""
    tree = ast.parse(source, filename=name)
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if name != PRODUCT_RULE_HOME and name not in DRAFT_WRITERS:
            if isinstance(node, ast.Compare) and any(_is_draft(n) for n in [node.left, *node.comparators]):
                found.append(f"{where}: compares with ProductStatus.DRAFT (use product.is_public)")
            if isinstance(node, ast.Call) and _call_name(node) in QUERY_CALLS:
                args = [*node.args, *(k.value for k in node.keywords)]
                if any(_is_draft(sub) for arg in args for sub in ast.walk(arg)):
                    found.append(f"{where}: filters on ProductStatus.DRAFT (use Product.objects.public())")
                if any(
                    (k.arg or "").endswith("status")
                    and isinstance(k.value, ast.Constant)
                    and k.value.value == "draft"
                    for k in node.keywords
                ):
                    found.append(f"{where}: filters on status 'draft' (use Product.objects.public())")
        if name != CERTIFICATE_RULE_HOME:
            if isinstance(node, ast.Call):
                for text in _strings(node):
                    for lookup in VALIDITY_LOOKUPS:
                        if lookup in text:
                            found.append(f"{where}: {lookup} (use Certificate.objects.valid())")
            if isinstance(node, ast.Compare) and any(
                isinstance(n, ast.Tuple | ast.List | ast.Set)
                and {"VALID", "EXPIRING"} <= {getattr(e, "attr", None) for e in n.elts}
                for n in node.comparators
            ):
                found.append(f"{where}: status in (VALID, EXPIRING) (use certificate.is_valid)")
    return sorted(set(found))


def test_no_rule_is_restated_outside_its_home():
    found = []
    for name, path in _project_files():
        found += restatements(path.read_text(encoding="utf-8"), name)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "Product.objects.exclude(status=ProductStatus.DRAFT)",
        "Certificate.objects.exclude(product__status=ProductStatus.DRAFT)",
        "Count('products', filter=~Q(products__status=ProductStatus.DRAFT))",
        "product.status != ProductStatus.DRAFT",
        "Product.objects.exclude(status='draft')",
        "Certificate.objects.filter(is_current=True, expires_on__gte=day)",
        "Q(certificates__expires_on__gte=today)",
        "Q(**{f'{prefix}revoked_on__gt': day})",
        "Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)",
        "status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)",
    ],
)
def test_the_scan_finds_a_restatement(source):
    assert restatements(source, "catalogue/selectors.py")


@pytest.mark.parametrize(
    "source",
    [
        "Product.objects.public()",
        "Product(status=ProductStatus.DRAFT)",  # creating a draft
        "{'status': ProductStatus.ACTIVE if category else ProductStatus.DRAFT}",
        "Certificate.objects.valid(on=day).filter(expires_on__lte=limit)",
        "Certificate.objects.filter(is_current=True, revoked_on__isnull=True)",
        "ScoreSheet.objects.filter(status=ScoreSheet.Status.DRAFT)",
    ],
)
def test_the_scan_lets_other_code_be(source):
    assert restatements(source, "catalogue/selectors.py") == []


def test_the_homes_may_state_their_rule():
    assert restatements("Q(status=ProductStatus.DRAFT)", PRODUCT_RULE_HOME) == []
    assert restatements("Q(expires_on__gte=day)", CERTIFICATE_RULE_HOME) == []
