# OCOP Lạng Sơn — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.base

.PHONY: run test lint format bench load install messages browser lock serve clean screenshots audit

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Translations are compiled from locale/*.po by the build; no .mo file is committed.
messages: install
	$(PY) manage.py compile_translations

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  OCOP Lạng Sơn: http://127.0.0.1:$(PORT)/  (back-office / quản lý: http://127.0.0.1:$(PORT)/quan-ly/)"
	@echo "  Đăng nhập / login: admin / ocop@LangSon2026  (also: vanphong, canbo.chilang, hoidong, chuthe.luavy)"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's chromium for the real-browser tests and poppler's pdftotext for the PDF tests;
# installed when missing and we may use apt.
browser:
	@if { ! command -v chromium || ! command -v pdftotext; } >/dev/null 2>&1 \
		&& [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian chromium and poppler-utils for the tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

test: install messages browser
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
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
screenshots: install messages browser
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@port=$$($(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(PY) manage.py runserver 127.0.0.1:$$port --noreload > $${TMPDIR:-/tmp}/ocop-screenshots-server.log 2>&1 & server=$$!; \
	trap 'kill $$server' EXIT; \
	$(PY) catalogue/screenshots.py --base-url http://127.0.0.1:$$port --out docs/screenshots

# Re-pin every dependency after editing pyproject.toml.
lock:
	rm -rf /tmp/ocop-lock && $(PYTHON) -m venv /tmp/ocop-lock
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
		print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > /tmp/ocop-lock/req.in
	/tmp/ocop-lock/bin/pip install --quiet -r /tmp/ocop-lock/req.in
	/tmp/ocop-lock/bin/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) var/static
