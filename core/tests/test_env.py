"""The environment is read in config/env.py only, and what it reads reaches the settings
(e-mail, trusted proxies)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_config, trusted_proxies

ROOT = Path(__file__).resolve().parents[2]

# Files that may touch os.environ, and why.
ALLOWED = {
    "config/env.py": "the one place that reads the environment",
    "config/wsgi.py": "sets DJANGO_SETTINGS_MODULE",
    "manage.py": "sets DJANGO_SETTINGS_MODULE",
    "conftest.py": "test process set-up (asyncio flag, Chromium path)",
    "catalogue/screenshots.py": "a developer tool run by make screenshots, not part of the site",
}
TOOL_DIRS = (
    "bench",
    "scripts",
    "deploy",
)  # benchmarks, scripts, make deploy-check: tools run beside the site


def _clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("EMAIL_") or name in ("DEFAULT_FROM_EMAIL", "OCOP_TRUSTED_PROXIES"):
            monkeypatch.delenv(name)


def test_email_url_is_read(monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv(
        "EMAIL_URL", "smtp+tls://ocop%40langson.gov.vn:b%C3%AD-m%E1%BA%ADt@mail.langson.gov.vn:587"
    )
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "OCOP Lạng Sơn <ocop@langson.gov.vn>")
    config = email_config(environ.Env(), debug=True)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_USE_TLS"]) == (
        "mail.langson.gov.vn",
        587,
        True,
    )
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("ocop@langson.gov.vn", "bí-mật")
    assert config["DEFAULT_FROM_EMAIL"] == "OCOP Lạng Sơn <ocop@langson.gov.vn>"


def test_separate_email_variables_are_read(monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.vn")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_HOST_USER", "ocop")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "secret")
    monkeypatch.setenv("EMAIL_USE_SSL", "true")
    config = email_config(environ.Env(), debug=False)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.vn", 465)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("ocop", "secret")
    assert config["EMAIL_USE_SSL"] is True and config["EMAIL_USE_TLS"] is False


def test_without_email_settings_mail_goes_to_the_console_in_debug_only(monkeypatch):
    _clean_env(monkeypatch)
    assert email_config(environ.Env(), debug=True)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_config(environ.Env(), debug=False)["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_the_settings_use_what_config_env_read():
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("EMAIL_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.base",
            "EMAIL_URL": "smtp+tls://user:pw@mail.example.vn:2525",
            "OCOP_TRUSTED_PROXIES": "10.0.0.1, 172.16.0.0/12",
        }
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, s.OCOP_TRUSTED_PROXIES)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "mail.example.vn 2525 True user ['10.0.0.1', '172.16.0.0/12']"


def test_a_bad_trusted_proxy_stops_the_start(monkeypatch):
    monkeypatch.setenv("OCOP_TRUSTED_PROXIES", "10.0.0.1, nginx.local")
    with pytest.raises(ImproperlyConfigured, match="nginx.local"):
        trusted_proxies(environ.Env())


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that read the environment: os.environ / os.getenv / os.putenv, environ (django-environ)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv", "environb"):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "environ"):
            if node.module == "environ" or any(
                a.name in ("environ", "getenv", "environb") for a in node.names
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(a.name == "environ" for a in node.names):
            lines.append(node.lineno)
    return lines


def test_only_config_env_reads_the_environment():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = relative.split("/")
        if parts[0].startswith(".") or parts[0] in ("var", "node_modules", *TOOL_DIRS):
            continue
        if "tests" in parts or "migrations" in parts or relative in ALLOWED:
            continue
        lines = _reads_environment(ast.parse(path.read_text(encoding="utf-8"), filename=relative))
        offenders += [f"{relative}:{line}" for line in lines]
    assert offenders == [], "read the environment in config/env.py only: " + ", ".join(offenders)


def test_the_scan_finds_a_reader():
    # The scan must be able to fail.
    assert _reads_environment(ast.parse("import os\nx = os.environ.get('A')")) == [2]
    assert _reads_environment(ast.parse("from os import getenv")) == [1]
    assert _reads_environment(ast.parse("import environ\nenv = environ.Env()")) != []
