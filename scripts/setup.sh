#!/usr/bin/env bash
# Installs what revgraph builds and tests with (Debian, as root): libgit2, SQLite, libpq, PostgreSQL,
# and a virtualenv with alembic from PyPI for the differential tests.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for p in libgit2-dev libsqlite3-dev libpq-dev postgresql pkg-config git python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
VENV=${REVGRAPH_VENV:-/tmp/revgraph-venv}
if [ ! -x "$VENV/bin/alembic" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check alembic
fi
# psycopg2 lets real alembic upgrade the test PostgreSQL databases.
"$VENV/bin/python" -c "import psycopg2" 2>/dev/null || "$VENV/bin/pip" install -q --disable-pip-version-check psycopg2-binary
# pre-commit validates .pre-commit-hooks.yaml in the tests.
[ -x "$VENV/bin/pre-commit" ] || "$VENV/bin/pip" install -q --disable-pip-version-check pre-commit
echo "$VENV"
