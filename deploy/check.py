"""`make deploy-check`: the shipped production pieces, run together on this machine.

gunicorn with deploy/gunicorn.conf.py (DEBUG off, HTTPS-only settings, behind a proxy) on a free
port, and nginx in front of it on two more free ports, from deploy/nginx/ocop.conf with only its
placeholders replaced (render_site) and a self-signed certificate made by openssl in a temporary
folder; the site's data in that folder too (a fresh SQLite database, collected static files).
Then, through nginx: the home page, a static file served by nginx itself, the HTTP → HTTPS
redirect, X-Forwarded-Proto and X-Forwarded-Host honoured by Django, the body-size limit (413),
the Vietnamese 404 page and /healthz; then, gunicorn stopped, nginx's own Vietnamese 502 page.
Both servers are stopped at the end; exit status 1 when a check failed.

    python -m deploy.check [--keep]    (--keep leaves the temporary folder for a look)
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "ocop.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
FORWARDED_HOST = "ocop.deploy-check.test"


def nginx_binary() -> str | None:
    """nginx on PATH or in /usr/sbin (not on a normal user's PATH on Debian)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body_limit_bytes(site_text: str) -> int:
    """client_max_body_size of the site, in bytes."""
    value = re.search(r"^\s*client_max_body_size\s+(\d+)([kKmMgG]?);", site_text, re.M)
    if not value:
        raise ValueError("client_max_body_size not found")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[value.group(2).lower()]
    return int(value.group(1)) * factor


def render_site(
    text: str,
    *,
    http_port: int,
    https_port: int,
    app_address: str,
    cert: Path,
    key: Path,
    var_dir: Path,
    acme_root: Path,
) -> str:
    """The shipped site with its placeholders replaced for this machine (and IPv6 left out).
    Every placeholder must be there: the file and this function cannot drift apart unnoticed."""
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
        ("server 127.0.0.1:8000 ", f"server {app_address} "),
        ("/etc/ssl/ocop/fullchain.pem", str(cert)),
        ("/etc/ssl/ocop/privkey.pem", str(key)),
        ("/srv/ocop/var/", f"{var_dir}/"),
        ("/var/www/letsencrypt", str(acme_root)),
    ]
    for placeholder, value in replacements:
        if placeholder not in text:
            raise ValueError(f"{SITE.name}: placeholder {placeholder!r} not found")
        text = text.replace(placeholder, value)
    return text


def main_config(folder: Path, site_path: Path) -> str:
    """A whole nginx.conf around the site, everything it writes kept inside folder."""
    mime = Path("/etc/nginx/mime.types")
    types = (
        f"include {mime};"
        if mime.exists()
        else "types { text/html html; text/css css; application/javascript js; }"
    )
    temp = "\n".join(
        f"    {name}_temp_path {folder / (name + '_temp')};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 128; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log {folder / "nginx-access.log"};
{temp}
    include {site_path};
}}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def write_nginx_config(
    folder: Path, *, http_port: int, https_port: int, app_address: str, var_dir: Path
) -> Path:
    """The rendered site and its nginx.conf in folder (with a fresh certificate); the nginx.conf's path."""
    cert, key = self_signed_certificate(folder)
    acme = folder / "acme"
    acme.mkdir(exist_ok=True)
    site = folder / "ocop.conf"
    site.write_text(
        render_site(
            SITE.read_text(encoding="utf-8"),
            http_port=http_port,
            https_port=https_port,
            app_address=app_address,
            cert=cert,
            key=key,
            var_dir=var_dir,
            acme_root=acme,
        ),
        encoding="utf-8",
    )
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site), encoding="utf-8")
    return conf


def nginx_test(nginx: str, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [nginx, "-t", "-c", str(conf), "-p", str(conf.parent)], capture_output=True, text=True
    )


# Requests.


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read().decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def request(port: int, method: str, path: str, *, tls: bool, headers=None, body=None, length=None) -> Answer:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # our own self-signed certificate
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if length is not None:  # a declared length, the body (if any) sent after the headers
            connection.putheader("Content-Length", str(length))
        connection.endheaders(body)
        return Answer(connection.getresponse())
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, name: str, log: Path, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}); see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds:.0f} s; see {log}")


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# The checks.


def checks(*, http_port: int, https_port: int, app_port: int, body_limit: int):
    """(description, passed, detail) for each check."""
    results = []

    def record(name, passed, detail=""):
        results.append((name, bool(passed), detail))

    home = request(https_port, "GET", "/", tls=True)
    record("home page 200 over HTTPS through nginx", home.status == 200, f"status {home.status}")
    record(
        "the page came from Django (its security headers)",
        "default-src" in home.header("Content-Security-Policy") and home.header("X-Frame-Options") == "DENY",
    )
    record("HSTS sent (DJANGO_SECURE)", "max-age=" in home.header("Strict-Transport-Security"))

    plain = request(http_port, "GET", "/san-pham/?q=mien", tls=False)
    location = plain.header("Location")
    record(
        "plain HTTP is redirected to HTTPS by nginx",
        plain.status == 301 and location.startswith("https://") and location.endswith("/san-pham/?q=mien"),
        f"{plain.status} → {location}",
    )

    # The home page links its stylesheet by its hashed name (DJANGO_STATIC_MANIFEST).
    css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', home.body)
    record(
        "the home page links hashed static files",
        css,
        css.group(1) if css else "no /static/css/app.<hash>.css",
    )
    static = request(https_port, "GET", css.group(1) if css else "/static/css/app.css", tls=True)
    record(
        "static file served by nginx itself",
        static.status == 200
        and static.header("Content-Type").startswith("text/css")
        and "Content-Security-Policy" not in static.headers  # every Django answer has one
        and "max-age=" in static.header("Cache-Control"),
        f"status {static.status}, {static.header('Content-Type')}, {static.header('Cache-Control')}",
    )

    direct = request(app_port, "GET", "/", tls=False)
    record(
        "gunicorn alone (no proxy header) redirects to HTTPS: the redirect is on",
        direct.status == 301 and direct.header("Location").startswith("https://"),
        f"{direct.status} → {direct.header('Location')}",
    )
    forwarded = request(app_port, "GET", "/", tls=False, headers={"X-Forwarded-Proto": "https"})
    record(
        "X-Forwarded-Proto: https is honoured (request.is_secure, no redirect)",
        forwarded.status == 200,
        f"status {forwarded.status}",
    )
    moved = request(app_port, "GET", "/san-pham/", tls=False, headers={"X-Forwarded-Host": FORWARDED_HOST})
    record(
        "X-Forwarded-Host is honoured (USE_X_FORWARDED_HOST)",
        moved.status == 301 and moved.header("Location") == f"https://{FORWARDED_HOST}/san-pham/",
        f"{moved.status} → {moved.header('Location')}",
    )

    too_large = request(https_port, "POST", "/dang-nhap/", tls=True, length=body_limit + 1)
    record(
        f"a body over {body_limit // 1024**2} MB answers 413 (nginx), in Vietnamese",
        too_large.status == 413 and "Dữ liệu gửi lên quá lớn" in too_large.body,
        f"status {too_large.status}",
    )
    allowed = request(
        https_port,
        "POST",
        "/dang-nhap/",
        tls=True,
        headers={"Content-Type": "application/octet-stream"},
        body=b"x" * (1024**2),
        length=1024**2,
    )
    record(
        "a 1 MB body passes nginx to Django (refused there by CSRF, in Vietnamese)",
        allowed.status == 403
        and "Content-Security-Policy" in allowed.headers
        and "Không có quyền" in allowed.body,
        f"status {allowed.status}",
    )

    missing = request(https_port, "GET", "/khong-co-trang-nay/", tls=True)
    record(
        "404 page in Vietnamese with navigation",
        missing.status == 404
        and "Không tìm thấy trang" in missing.body
        and 'href="/san-pham/"' in missing.body,
        f"status {missing.status}",
    )

    health = request(https_port, "GET", "/healthz", tls=True)
    try:
        state = json.loads(health.body)
    except ValueError:
        state = {}
    record(
        "/healthz through nginx: every dependency answers",
        health.status == 200 and state.get("status") == "ok",
        f"status {health.status}: {health.body[:200]}",
    )
    return results


def run(*, keep: bool = False) -> int:
    nginx = nginx_binary()
    if not nginx:
        print("nginx is not installed (make deploy-check installs it with apt-get as root).", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="ocop-deploy-check-"))
    folder.chmod(0o755)  # nginx's workers (user nobody when started as root) read the static files
    var_dir = folder / "var"
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "OCOP_", "EMAIL_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.base",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECURE": "true",
            "DJANGO_STATIC_MANIFEST": "true",
            "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,localhost,{FORWARDED_HOST}",
            "OCOP_TRUSTED_PROXIES": "127.0.0.1",
            "OCOP_VAR_DIR": str(var_dir),
            "OCOP_SITE_URL": f"https://127.0.0.1:{https_port}",
        }
    )
    gunicorn = nginx_process = None
    failed = True
    try:
        print(f"Preparing the site in {folder} (migrate, collectstatic)…", flush=True)
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run(
                [str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        conf = write_nginx_config(
            folder,
            http_port=http_port,
            https_port=https_port,
            app_address=f"127.0.0.1:{app_port}",
            var_dir=var_dir,
        )
        tested = nginx_test(nginx, conf)
        if tested.returncode != 0:
            print(f"✗ nginx -t refused the configuration:\n{tested.stderr}", file=sys.stderr)
            return 1
        print("✓ nginx -t accepts the rendered deploy/nginx/ocop.conf")

        gunicorn_log = folder / "gunicorn.log"
        with open(gunicorn_log, "wb") as log:
            gunicorn = subprocess.Popen(
                [str(GUNICORN), "-c", str(GUNICORN_CONF), "-b", f"127.0.0.1:{app_port}", "-w", "2"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(app_port, gunicorn, "gunicorn", gunicorn_log)
        nginx_process = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(https_port, nginx_process, "nginx", folder / "nginx-error.log")
        print(f"gunicorn on 127.0.0.1:{app_port}, nginx on :{http_port} (HTTP) and :{https_port} (HTTPS)")

        body_limit = body_limit_bytes(SITE.read_text(encoding="utf-8"))
        results = checks(http_port=http_port, https_port=https_port, app_port=app_port, body_limit=body_limit)
        stop(gunicorn)  # then nginx alone answers for the app
        down = request(https_port, "GET", "/san-pham/", tls=True)
        results.append(
            (
                "gunicorn stopped: nginx answers 502 with the Vietnamese maintenance page",
                down.status == 502 and "Hệ thống đang bảo trì" in down.body,
                f"status {down.status}",
            )
        )
        for name, passed, detail in results:
            print(f"{'✓' if passed else '✗'} {name}" + ("" if passed or not detail else f" ({detail})"))
        failed = not all(passed for _, passed, _ in results)
        print("deploy-check: " + ("FAILED" if failed else "all checks passed"))
        return 1 if failed else 0
    finally:
        stop(nginx_process, signal.SIGQUIT)  # graceful: finish the open connections
        stop(gunicorn)
        if keep or failed:
            print(f"Logs and configuration kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run(keep="--keep" in sys.argv[1:]))
