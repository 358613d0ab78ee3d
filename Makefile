# OCOP Lạng Sơn — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.base

.PHONY: install-dev run dev deploy-check test lint format bench load install messages browser axe lock serve clean screenshots audit

# Runtime pins only (what production installs) for `make run`; the test tools on top for `make test`.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Translations are compiled from locale/*.po by the build; no .mo file is committed.
messages: install
	$(PY) manage.py compile_translations

# The site as it runs in production, on this machine: gunicorn with production's configuration
# (deploy/gunicorn.conf.py; DEBUG off; static files through WhiteNoise; Vietnamese error pages) and
# the background worker beside it, which also runs the periodic jobs (huey's consumer is the
# scheduler); both stop together (Ctrl-C, or either exiting).
WEB_WORKERS ?= 3
# The address printed in QR codes, e-mails and links: the server that printed them, unless set.
OCOP_SITE_URL ?= http://127.0.0.1:$(PORT)

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  OCOP Lạng Sơn: http://127.0.0.1:$(PORT)/  (back-office / quản lý: http://127.0.0.1:$(PORT)/quan-ly/)"
	@echo "  Đăng nhập / login: admin / ocop@LangSon2026  (also: vanphong, canbo.chilang, hoidong, chuthe.luavy)"
	@echo "  Background worker (imports, exports, reminders, backups): manage.py run_huey, stopped with the server"
	@echo ""
	@OCOP_SITE_URL=$(OCOP_SITE_URL) $(PY) manage.py run_huey & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	OCOP_SITE_URL=$(OCOP_SITE_URL) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py -w $(WEB_WORKERS) -b 127.0.0.1:$(PORT)

# The reloading development server (DEBUG on), with the worker.
dev: install-dev messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@OCOP_SITE_URL=$(OCOP_SITE_URL) $(PY) manage.py run_huey & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	OCOP_SITE_URL=$(OCOP_SITE_URL) DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production pieces of deploy/ together on this machine (deploy/check.py): nginx from
# deploy/nginx/ocop.conf (self-signed certificate) in front of gunicorn, checked through HTTPS, then
# both stopped. nginx is installed with apt-get when missing and we are root (not started as a service).
deploy-check: install messages
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing nginx for the deploy check…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else \
			echo "nginx is not installed: apt-get install nginx (as root), then make deploy-check"; exit 1; \
		fi; \
	fi
	$(PY) -m deploy.check

# Debian's chromium for the real-browser tests and poppler's pdftotext for the PDF tests;
# installed when missing and we may use apt.
browser:
	@if { ! command -v chromium || ! command -v pdftotext; } >/dev/null 2>&1 \
		&& [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian chromium and poppler-utils for the tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

# axe-core for the accessibility checks of the real-browser tests (core/testing/axe.py): the exact
# version of package.json, from the npm registry, checked against package-lock.json's hash.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE)

test: install-dev messages browser axe
	$(PY) -m pytest -q

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pip-audit of requirements.lock (exit 2 when no vulnerability database is reachable from here).
audit: install
	scripts/audit.sh

# Benchmarks (bench/): 17,000 and 200,000 products, SQLite and PostgreSQL, gunicorn under wrk.
# BENCH_ARGS="--quick" for a smoke run; results in var/bench/latest.json.
bench: install messages
	$(PY) -m bench.run $(BENCH_ARGS)

# 100 concurrent users for 60 s on the public pages and the API (not part of CI).
load: install messages
	$(PY) -m bench.load $(LOAD_ARGS)

# Phone and desktop screenshots of the public portal (demo data) into docs/screenshots/.
screenshots: install-dev messages browser
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@port=$$($(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(PY) manage.py runserver 127.0.0.1:$$port --noreload > $${TMPDIR:-/tmp}/ocop-screenshots-server.log 2>&1 & server=$$!; \
	trap 'kill $$server' EXIT; \
	$(PY) catalogue/screenshots.py --base-url http://127.0.0.1:$$port --out docs/screenshots

# Re-pin every dependency after editing pyproject.toml: requirements.lock (runtime) and
# requirements-dev.lock (runtime + tests), with hashes, resolved by a pinned uv in its own venv.
lock:
	rm -rf /tmp/ocop-lock && $(PYTHON) -m venv /tmp/ocop-lock && /tmp/ocop-lock/bin/pip install --quiet uv==0.13.9
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
		open('/tmp/ocop-lock/runtime.in', 'w').write('\\n'.join(p['dependencies'])); \
		open('/tmp/ocop-lock/dev.in', 'w').write('\\n'.join(p['optional-dependencies']['dev']))"
	/tmp/ocop-lock/bin/uv pip compile /tmp/ocop-lock/runtime.in --generate-hashes --no-header --no-annotate \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 -q -o /tmp/ocop-lock/runtime.lock
	/tmp/ocop-lock/bin/uv pip compile /tmp/ocop-lock/dev.in /tmp/ocop-lock/runtime.in -c /tmp/ocop-lock/runtime.lock \
		--generate-hashes --no-header --no-annotate --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		-q -o /tmp/ocop-lock/dev.lock
	{ echo "# Runtime dependencies (production installs only these): generated by \`make lock\` from pyproject.toml,"; \
	  echo "# every transitive pin with its hashes (pip installs in --require-hashes mode)."; \
	  cat /tmp/ocop-lock/runtime.lock; } > requirements.lock
	{ echo "# Runtime + development dependencies (tests, lint, browser tests): generated by \`make lock\`,"; \
	  echo "# constrained to the runtime pins of requirements.lock; every pin with its hashes."; \
	  cat /tmp/ocop-lock/dev.lock; } > requirements-dev.lock

clean:
	rm -rf $(VENV) var/static node_modules
