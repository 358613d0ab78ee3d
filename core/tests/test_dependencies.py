"""The lock files: production installs only runtime pins; every pin is exact and hashed."""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    requirements = [line for line in text.replace("\\\n", " ").splitlines() if line and line[0].isalnum()]
    pins = {}
    for line in requirements:
        match = PIN.match(line)
        assert match, f"{name}: not an exact pin: {line[:60]}"
        assert "--hash=sha256:" in line, f"{name}: no hash for {match.group(1)}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _normal(requirement: str) -> str:
    return re.split(r"[=\[<>]", requirement)[0].lower().replace("_", "-")


def test_runtime_lock_has_no_development_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _pins("requirements.lock")
    for requirement in project["optional-dependencies"]["dev"]:
        assert _normal(requirement) not in runtime
    for requirement in project["dependencies"]:
        assert _normal(requirement) in runtime


def test_development_lock_agrees_with_runtime_pins():
    runtime, development = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime
    assert {"pytest", "playwright", "pytest-playwright"} <= set(development)
