"""Fixtures for the pure evaluation tests: no database, no Django settings.

They also run alone with `pytest -p no:django evaluation/tests`.  The project's autouse
fixtures ask for pytest-django's `settings`; here it is a plain stand-in they may set
attributes on, whatever those fixtures are named.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from evaluation.criteria import CriteriaSet, load_criteria_set

CRITERIA_DIR = Path(__file__).resolve().parents[1] / "data" / "criteria"
QD26_PATH = CRITERIA_DIR / "QD26-2026.yaml"
QD148_PATH = CRITERIA_DIR / "QD148-2023.yaml"


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stand-in for pytest-django's `settings`: these tests read no Django setting."""
    return SimpleNamespace()


@pytest.fixture(scope="session")
def qd26() -> CriteriaSet:
    return load_criteria_set(QD26_PATH)


@pytest.fixture(scope="session")
def qd26_raw() -> dict:
    """The shipped file as plain data; tests that damage it work on a deep copy."""
    with open(QD26_PATH, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture(autouse=True)
def _private_dossier_files(tmp_path):
    """Dossier files of DB tests go to the test's folder (the `settings` stand-in above cannot do it)."""
    try:
        from django.conf import settings as django_settings

        django_settings.DOSSIER_FILES_DIR  # noqa: B018  (raises without Django settings)
    except Exception:
        yield
        return
    from django.test import override_settings

    with override_settings(DOSSIER_FILES_DIR=tmp_path / "dossier-files"):
        yield
