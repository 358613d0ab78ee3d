#!/usr/bin/env bash
# `make audit`: pip-audit of requirements-dev.lock (runtime + development pins) against PyPI's vulnerability data (or OSV).
# pip-audit lives in its own venv (var/audit-venv): it is a tool, not a dependency of the site.
# Exit 0: no known vulnerability. Exit 1: vulnerabilities found. Exit 2: no vulnerability
# database was reachable (these machines: PyPI's per-version JSON answers 404 and api.osv.dev
# does not resolve); the newest-release check below is then printed, which is not an audit.
set -uo pipefail
cd "$(dirname "$0")/.."
TOOL=var/audit-venv
if [ ! -x "$TOOL/bin/pip-audit" ]; then
  python3 -m venv "$TOOL" && "$TOOL/bin/pip" install --quiet pip-audit==2.10.1 2>/dev/null || exit 2
fi
for service in pypi osv; do
  out=$("$TOOL/bin/pip-audit" -r requirements-dev.lock --progress-spinner off -s "$service" 2>&1)
  status=$?
  if ! grep -q "could not be audited\|ConnectionError\|NameResolutionError" <<<"$out"; then
    echo "$out"
    exit $status
  fi
  echo "pip-audit ($service): no vulnerability data reachable: $(grep -m1 -o 'could not be audited\|NameResolutionError' <<<"$out")"
done
echo
echo "NOT AUDITED. Newest-release check instead (not an audit):"
older=$(.venv/bin/pip list --outdated --format freeze 2>/dev/null | grep -Ev '^(setuptools|pip)==' || true)
if [ -n "$older" ]; then
  echo "pins older than the newest release on the package index:"
  echo "$older"
else
  echo "every pin of requirements.lock is the newest release the package index offers."
fi
exit 2
