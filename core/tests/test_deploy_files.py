"""The production pieces shipped in deploy/ (issue 15, point 5) hold together: the nginx site
follows the upload policy and gunicorn's timeout and passes `nginx -t`, the systemd units parse
and start commands that exist, the gunicorn configuration loads, the example environment names
only what config/env.py reads, and `make deploy-check` installs nginx only when it is missing.
`make deploy-check` itself runs them together (deploy/check.py)."""

import configparser
import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from core.uploads import max_body_bytes
from deploy.check import body_limit_bytes, main_config, nginx_binary, render_site, write_nginx_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx" / "ocop.conf").read_text(encoding="utf-8")
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALL_DIR = "/srv/ocop"  # where the units and the site expect the project


def _gunicorn_settings() -> dict:
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def _directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", SITE, re.M)


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([sm]?)", value).groups()
    return int(number) * (60 if unit == "m" else 1)


# nginx ---------------------------------------------------------------------------------------------


def test_the_body_size_limit_is_the_upload_policy():
    assert body_limit_bytes(SITE) == max_body_bytes()


def test_the_site_redirects_http_and_serves_https_static_and_media():
    assert "return 301 https://$host$request_uri;" in SITE
    assert _directive("listen") == ["80", "[::]:80", "443 ssl http2", "[::]:443 ssl http2"]
    assert _directive("ssl_certificate") and _directive("ssl_certificate_key")
    assert _directive("alias") == [f"{INSTALL_DIR}/var/static/", f"{INSTALL_DIR}/var/media/"]
    assert re.search(r"location /static/ \{", SITE) and re.search(r"location /media/ \{", SITE)


def test_the_proxy_passes_the_forwarded_headers_django_reads():
    headers = dict(h.split(None, 1) for h in _directive("proxy_set_header"))
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-Host"] == "$host"
    assert headers["Host"] == "$host"


def test_nginx_waits_longer_than_gunicorn_and_points_at_it():
    gunicorn = _gunicorn_settings()
    assert _seconds(_directive("proxy_read_timeout")[0]) > gunicorn["timeout"]
    assert _seconds(_directive("proxy_send_timeout")[0]) > gunicorn["timeout"]
    upstream = re.search(r"upstream ocop_app \{\s*server (\S+)", SITE).group(1)
    assert upstream == gunicorn["bind"]


def test_a_placeholder_missing_from_the_site_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="privkey.pem"):
        render_site(
            SITE.replace("/etc/ssl/ocop/privkey.pem", "/etc/ssl/other.pem"),
            http_port=8080,
            https_port=8443,
            app_address="127.0.0.1:8001",
            cert=tmp_path / "c.pem",
            key=tmp_path / "k.pem",
            var_dir=tmp_path,
            acme_root=tmp_path,
        )


@pytest.mark.skipif(not nginx_binary(), reason="nginx is not installed (make deploy-check installs it)")
@pytest.mark.skipif(
    not shutil.which("openssl"), reason="openssl is not installed (needed for a test certificate)"
)
def test_nginx_accepts_the_shipped_site(tmp_path):
    tmp_path.chmod(0o755)
    conf = write_nginx_config(
        tmp_path, http_port=18080, https_port=18443, app_address="127.0.0.1:18000", var_dir=tmp_path / "var"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


@pytest.mark.skipif(not nginx_binary(), reason="nginx is not installed (make deploy-check installs it)")
def test_nginx_t_can_fail(tmp_path):
    # The check above must be able to fail: a broken directive is refused.
    site = tmp_path / "broken.conf"
    site.write_text("server { listen 127.0.0.1:18081; client_max_body_size lots; }")
    (tmp_path / "nginx.conf").write_text(main_config(tmp_path, site))
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "client_max_body_size" in result.stderr


# systemd -------------------------------------------------------------------------------------------


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def _here(path: str) -> Path:
    assert path.startswith(INSTALL_DIR + "/"), path
    return ROOT / path.removeprefix(INSTALL_DIR + "/")


def test_the_web_server_and_the_worker_have_units():
    assert [u.name for u in UNITS] == ["ocop-web.service", "ocop-worker.service"]
    # No scheduler unit: huey's consumer (the worker) runs the periodic jobs, and says so.
    assert "no separate scheduler unit" in (DEPLOY / "systemd" / "ocop-worker.service").read_text()


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_parses_and_starts_an_existing_command(path):
    unit = _unit(path)
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["WorkingDirectory"] == INSTALL_DIR and service["User"] == "ocop"
    assert service["EnvironmentFile"] == "/etc/ocop/ocop.env"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    program, *args = shlex.split(service["ExecStart"])
    assert _here(program).exists(), f"{program}: no such command in this checkout"
    if program.endswith("/python"):
        script, command, *_ = args
        assert _here(script).name == "manage.py" and _here(script).exists()
        assert command in get_commands(), f"manage.py {command}: no such command"
    else:
        assert program.endswith("/gunicorn")
        config = args[args.index("-c") + 1]
        assert _here(config).exists()


def test_the_worker_stops_gracefully():
    service = _unit(DEPLOY / "systemd" / "ocop-worker.service")["Service"]
    assert service["KillSignal"] == "SIGINT"  # huey: SIGINT lets running jobs finish, SIGTERM cuts them off
    assert "run_huey" in service["ExecStart"] and "--no-periodic" not in service["ExecStart"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_verifies_the_units_as_installed_here(tmp_path):
    # The units with this checkout as the install folder and this machine's user: systemd itself
    # checks every directive and that each command exists.
    user = Path(ROOT).owner()
    for path in UNITS:
        text = path.read_text(encoding="utf-8").replace(INSTALL_DIR, str(ROOT))
        text = re.sub(r"^(User|Group)=ocop$", rf"\1={user}", text, flags=re.M)
        text = text.replace("EnvironmentFile=/etc/ocop/ocop.env", f"EnvironmentFile=-{tmp_path}/ocop.env")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "not executable" not in result.stderr, result.stderr


# gunicorn and the environment ----------------------------------------------------------------------


def test_the_gunicorn_configuration_loads():
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    settings = _gunicorn_settings()
    assert settings["wsgi_app"] == "config.wsgi:application" and settings["bind"].startswith("127.0.0.1:")
    # The scheme is decided by Django (SECURE_PROXY_SSL_HEADER), not rewritten by gunicorn.
    assert settings["secure_scheme_headers"] == {}


def test_the_example_environment_names_only_what_config_env_reads():
    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', (ROOT / "config" / "env.py").read_text(encoding="utf-8")))
    example = (DEPLOY / "ocop.env.example").read_text(encoding="utf-8")
    names = {line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")}
    assert names and names <= read, names - read
    assert {"DJANGO_SECRET_KEY", "DJANGO_SECURE", "OCOP_TRUSTED_PROXIES", "DJANGO_STATIC_MANIFEST"} <= names


# make ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_deploy_check_installs_nginx_only_when_missing():
    commands = subprocess.run(
        ["make", "-n", "deploy-check"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    guard = commands.index("if ! command -v nginx")
    assert (
        guard
        < commands.index("apt-get install -y -qq nginx")
        < commands.index(".venv/bin/python -m deploy.check")
    )
    assert '[ "$(id -u)" = "0" ]' in commands


def test_nginx_own_error_pages_exist_and_state_the_upload_policy(settings):
    pages = dict(re.findall(r"^\s*error_page ([\d ]+) /static/(\S+);", SITE, re.M))
    assert set(pages) == {"413", "502 504"}
    for page in pages.values():
        assert (ROOT / "static" / page).exists(), page
    too_large = (ROOT / "static" / pages["413"]).read_text(encoding="utf-8")
    mb = 1024 * 1024
    largest, image = max(settings.UPLOAD_MAX_BYTES.values()) // mb, settings.UPLOAD_MAX_BYTES["image"] // mb
    assert f"giới hạn {largest} MB" in too_large and f"ảnh: tối đa {image} MB" in too_large
    assert "Hệ thống đang bảo trì" in (ROOT / "static" / pages["502 504"]).read_text(encoding="utf-8")


# Django behind the proxy ---------------------------------------------------------------------------


def _proxy_settings(**env) -> str:
    import os
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OCOP_", "DJANGO_"))}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.USE_X_FORWARDED_HOST, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.base"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_proxy_headers_are_believed_only_behind_a_configured_proxy():
    assert _proxy_settings() == "None False False"
    behind = "('HTTP_X_FORWARDED_PROTO', 'https') True"
    assert _proxy_settings(OCOP_TRUSTED_PROXIES="127.0.0.1") == f"{behind} False"
    assert _proxy_settings(OCOP_TRUSTED_PROXIES="127.0.0.1", DJANGO_SECURE="true") == f"{behind} True"
    assert _proxy_settings(OCOP_BEHIND_PROXY="true") == f"{behind} False"
    assert _proxy_settings(OCOP_TRUSTED_PROXIES="127.0.0.1", OCOP_BEHIND_PROXY="false") == "None False False"


@pytest.mark.django_db
def test_with_the_proxy_settings_https_is_read_from_x_forwarded_proto(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ocop.example.gov.vn", "testserver"]
    assert client.get("/healthz", headers={"X-Forwarded-Proto": "http"}).status_code == 200  # probes exempt
    plain = client.get(
        "/san-pham/", headers={"X-Forwarded-Proto": "http", "X-Forwarded-Host": "ocop.example.gov.vn"}
    )
    assert plain.status_code == 301 and plain["Location"] == "https://ocop.example.gov.vn/san-pham/"
    secure = client.get("/san-pham/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200 and secure.wsgi_request.is_secure()
