"""The accessibility check of the real-browser tests (issue 17 point 8): axe-core (the npm
package pinned in package.json, installed by `make axe`, part of `make test`) run inside the page
against WCAG 2.2 level AA; a test fails on any serious or critical violation.

    from core.testing.axe import assert_accessible
    page.goto(url)
    assert_accessible(page)

axe.min.js is served to the page from its own origin (a Playwright route), so the site's
Content-Security-Policy (script-src 'self') stays as in production and needs no exception."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test__/axe.min.js"  # answered by the route below, never by the site
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def axe_violations(page, *, impacts=BLOCKING, tags=WCAG_22_AA) -> list[dict]:
    """axe.run on the page as it is now: the violations of those impacts."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed ({AXE_JS}): run `make axe` (npm ci)")
    parts = urlsplit(page.url)
    url = f"{parts.scheme}://{parts.netloc}{AXE_PATH}"
    page.route(url, lambda route: route.fulfill(path=str(AXE_JS), content_type="application/javascript"))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=url)
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        tags,
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, f"{where or page.url}\n{describe(violations)}"
