#!/usr/bin/env bash
# The whole test suite: installs system packages, builds, starts a throwaway PostgreSQL on
# 127.0.0.1, installs alembic into a virtualenv, and runs `swift test` (unit, git, end-to-end
# and differential tests against real alembic).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$(bash scripts/setup.sh | tail -1)
export REVGRAPH_ALEMBIC_PYTHON="$VENV/bin/python"

# PostgreSQL, as root without systemd: a throwaway cluster owned by postgres.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${PGPORT:-54329}
while ss -ltn 2>/dev/null | grep -q ":$PGPORT "; do PGPORT=$((PGPORT + 1)); done
PGDATA=$(mktemp -d /tmp/revgraph-pg.XXXXXX)
mkdir -p "$PGDATA/sock"; chown -R postgres:postgres "$PGDATA"; chmod 700 "$PGDATA"
# Local socket: trust (set-up only); TCP: passwords checked (scram), as in production.
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA/db" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA/db" -l "$PGDATA/server.log" -w -t 60 \
  -o "-k $PGDATA/sock -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
  || { cat "$PGDATA/server.log"; exit 1; }
teardown() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA/db" -m fast -w stop >/dev/null || true; rm -rf "$PGDATA"; }
trap teardown EXIT
PGPASS="rg-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
psql -v ON_ERROR_STOP=1 -q -h "$PGDATA/sock" -p "$PGPORT" -U postgres -d postgres \
  -c "CREATE ROLE revgraph LOGIN CREATEDB PASSWORD '$PGPASS'"
# Tests create a database each from this one.
export REVGRAPH_TEST_POSTGRES_URL="postgresql://revgraph:$PGPASS@127.0.0.1:$PGPORT/postgres"

# The release artifacts (tarball and wheel); PackagingTests run them with the toolchain hidden.
bash scripts/package.sh
export REVGRAPH_DIST_DIR="$PWD/dist"
swift build
swift test
# A short run of each fuzz target (address sanitizer and libFuzzer; scripts/fuzz.sh runs longer by hand).
FUZZ_SECONDS=${FUZZ_SECONDS:-8} bash scripts/fuzz.sh
