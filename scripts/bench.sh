#!/usr/bin/env bash
# Benchmark (run by hand, not by the tests): generated projects of 1,000 and 5,000 revisions;
# revgraph against alembic and against merely reading the files, measured in the same run.
# Prints each timing (median of N runs) and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$(bash scripts/setup.sh | tail -1)
# RG: the binary to measure (bench-all.sh passes the packaged, statically linked one).
if [ -z "${RG:-}" ]; then swift build -c release >/dev/null 2>&1 || swift build -c release; RG="$PWD/.build/release/revgraph"; fi
ALEMBIC="$VENV/bin/alembic"
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/revgraph-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

source scripts/lib.sh  # the script has cd-ed to the repository root

gen() {  # gen DIR N: a mainline with a branch and merge every 50 revisions
  python3 - "$1" "$2" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{root}/migrations/versions", exist_ok=True)
open(f"{root}/alembic.ini", "w").write("[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
open(f"{root}/migrations/env.py", "w").write("")
prev = None; i = 0
def write(rev, down, msg):
    d = repr(down) if not isinstance(down, list) else repr(tuple(down))
    open(f"{root}/migrations/versions/{rev}_{msg.replace(' ', '_')}.py", "w").write(
        f'"""{msg}\n\nRevision ID: {rev}\nRevises: \nCreate Date: 2026-11-27 12:00:00\n\n"""\n'
        f"from alembic import op\nimport sqlalchemy as sa\n\nrevision = {rev!r}\ndown_revision = {d}\n"
        f"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute('select 1')\n\n\ndef downgrade():\n    pass\n")
while i < n:
    rev = "%012x" % (i * 2654435761 % 2**48)
    if i % 50 == 49 and i + 2 < n:
        a = "%012x" % ((i + 1) * 2654435761 % 2**48); write(a, prev, f"side {i}")
        write(rev, prev, f"main {i}")
        m = "%012x" % ((i + 2) * 2654435761 % 2**48); write(m, [rev, a], f"merge {i}")
        prev = m; i += 3; continue
    write(rev, prev, f"step {i}"); prev = rev; i += 1
PY
}

printf '%-8s %-34s %10s\n' size command ms
for n in 1000 5000; do
  dir="$WORK/p$n"; gen "$dir" "$n"; cd "$dir"
  git init -q . && git add -A && git -c user.name=b -c user.email=b@example.com commit -qm gen
  sleep 1.2  # the work-tree cache stores no file changed within the last second
  "$RG" heads >/dev/null  # fills .git/revgraph-parse-cache
  cat_ms=$(median_ms sh -c 'cat migrations/versions/*.py > /dev/null')
  status_ms=$(median_ms git status --porcelain)
  rg_cold=$(REVGRAPH_NO_CACHE=1 median_ms "$RG" heads)
  rg_heads=$(median_ms "$RG" heads)
  rg_hist=$(median_ms "$RG" history)
  al_heads=$(RUNS=$(( RUNS < 3 ? RUNS : 3 )) median_ms "$ALEMBIC" heads)
  al_hist=$(RUNS=$(( RUNS < 3 ? RUNS : 3 )) median_ms "$ALEMBIC" history)
  printf '%-8s %-34s %10s\n' "$n" "cat versions/*.py" "$cat_ms" "$n" "git status" "$status_ms" \
    "$n" "revgraph heads (cold, no cache)" "$rg_cold" "$n" "revgraph heads (warm)" "$rg_heads" \
    "$n" "revgraph history (warm)" "$rg_hist" "$n" "alembic heads" "$al_heads" "$n" "alembic history" "$al_hist"
  awk -v n="$n" -v c="$cat_ms" -v g="$status_ms" -v rc="$rg_cold" -v rh="$rg_heads" -v ah="$al_heads" -v rhi="$rg_hist" -v ahi="$al_hist" 'BEGIN {
    m = c < 1 ? 1 : c; s = g < 1 ? 1 : g
    printf "%-8s ratios: cold heads / cat = %.2f (target 1.5); warm heads / git status = %.2f (target 2); alembic heads / warm heads = %.0fx; alembic history / revgraph history = %.0fx\n", n, rc / m, rh / s, ah / (rh < 1 ? 1 : rh), ahi / (rhi < 1 ? 1 : rhi) }'
  cd - >/dev/null
done
# The parser alone, on files already in memory (target: 200 MB/s on one core).
swift build --package-path Tests/Fuzz -c release --product ParseBench --scratch-path Tests/Fuzz/.build/bench >/dev/null 2>&1 \
  || swift build --package-path Tests/Fuzz -c release --product ParseBench --scratch-path Tests/Fuzz/.build/bench
Tests/Fuzz/.build/bench/release/ParseBench "$WORK/p5000/migrations/versions"
Tests/Fuzz/.build/bench/release/ParseBench Examples/demo/migrations/versions Examples/demo/pending
