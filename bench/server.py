"""The servers under test: gunicorn with production settings, and nginx serving a saved page
(the machine's limit). Both listen on 127.0.0.1 on a free port and are stopped by their pid."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import LOOPBACK, ROOT, RUNTIME_DIR, WORK_DIR, app_env, free_port, log, manage, venv_bin


def collectstatic(database_url: str) -> float:
    """Static files into the bench OCOP_VAR_DIR (STATIC_ROOT = $OCOP_VAR_DIR/static), hashed and
    compressed, so DJANGO_STATIC_MANIFEST=1 serves them like production."""
    RUNTIME_DIR.mkdir(parents=True, exist_ok=True)
    # No --clear: a bench or load run may be serving these files right now.
    _, seconds = manage(["collectstatic", "--noinput", "-v", "0"], app_env(database_url))
    return seconds


def fetch(url: str, cookie: str = "", timeout: float = 60) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one GET; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
            return response.status, body, time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read() or b"", time.perf_counter() - started


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def cpu_snapshot(pids) -> dict[int, int]:
    return {pid: _cpu_ticks(pid) for pid in pids}


def pg_backends(database: str) -> list[int]:
    """The PostgreSQL server processes serving `database` (their CPU is the database's share)."""
    from bench.common import PG_HOST, PG_PORT, PG_USER

    sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    result = subprocess.run(
        ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", "postgres", "-At", "-c", sql],
        capture_output=True,
        text=True,
    )
    return [int(x) for x in result.stdout.split() if x.strip().isdigit()]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


class Gunicorn:
    """gunicorn config.wsgi with `workers` sync workers on a free port of 127.0.0.1."""

    def __init__(self, database_url: str, workers: int, label: str, access_log: bool = False):
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.workers = workers
        self.log_path = WORK_DIR / f"gunicorn-{label}.log"
        self.access_path = WORK_DIR / f"gunicorn-{label}-access.log" if access_log else None
        cmd = [
            venv_bin("gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--backlog",
            "2048",
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
        ]
        if self.access_path:
            self.access_path.unlink(missing_ok=True)  # counts are per run
            cmd += ["--access-logfile", str(self.access_path), "--access-logformat", '%(s)s "%(U)s"']
        # Pages cached by the previous server (another database, another size) must not be
        # served by this one: a new public content generation (the bench's session stays).
        bump = "from core.content import public_content_changed; public_content_changed()"
        manage(["shell", "-c", bump], app_env(database_url))
        # DJANGO_ALLOWED_HOSTS is 127.0.0.1 only: the production check stays on.
        self.process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=app_env(database_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            try:
                if fetch(self.url + "/ping", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not answer /ping within 60 s; see {self.log_path}")
        log(f"gunicorn: {workers} sync workers on {self.url} (pid {self.process.pid})")

    def cpu_snapshot(self) -> dict[int, int]:
        pid = self.process.pid
        return cpu_snapshot([pid, *_children(pid)])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


NGINX_CONF = """\
# Written by bench/server.py: nginx serving one saved page, the machine's limit.
daemon off;
master_process on;
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp-body;
    proxy_temp_path {dir}/tmp-proxy;
    fastcgi_temp_path {dir}/tmp-fastcgi;
    uwsgi_temp_path {dir}/tmp-uwsgi;
    scgi_temp_path {dir}/tmp-scgi;
    sendfile on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types {{ text/html html; }}
    server {{
        listen {host}:{port};
        root {dir}/www;
        location / {{ }}
    }}
}}
"""


class Nginx:
    """nginx (foreground, daemon off) serving a saved copy of a page from var/bench/."""

    def __init__(self, binary: str, page: bytes, workers: int = 2):
        self.dir = WORK_DIR / "nginx"
        (self.dir / "www").mkdir(parents=True, exist_ok=True)
        (self.dir / "www" / "catalogue.html").write_bytes(page)
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}/catalogue.html"
        user = "user root root;" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(workers=workers, dir=self.dir, host=LOOPBACK, port=self.port, user=user)
        )
        self.process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(self.dir), "-e", str(self.dir / "nginx-error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited at start; see {self.dir / 'nginx-error.log'}")
            try:
                if fetch(self.url, timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        log(f"nginx: {workers} workers on {self.url} (pid {self.process.pid})")

    def cpu_snapshot(self) -> dict[int, int]:
        pid = self.process.pid
        return cpu_snapshot([pid, *_children(pid)])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, master exits
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
