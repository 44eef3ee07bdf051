#!/usr/bin/env bash
# Wide and deep graphs (run by hand): a 100,000-revision chain, 20,000 heads on one base,
# 20,000 branches merged into one, a 20,000 chain where each revision depends_on its
# grandparent, a 20,000 chain with a branch label every 10th revision, 10,000 diamonds.
# For each: reading the files (cat), then revgraph's read commands, median wall time of RUNS
# and peak memory; the ratio to cat shows what the graph work adds to reading.
set -euo pipefail
cd "$(dirname "$0")/.."
# RG: the binary to measure (bench-all.sh passes the packaged, statically linked one).
if [ -z "${RG:-}" ]; then swift build -c release >/dev/null 2>&1 || swift build -c release; RG="$PWD/.build/release/revgraph"; fi
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/revgraph-bench-graph.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
source scripts/lib.sh

gen() {  # gen SHAPE N DIR
  python3 - "$@" <<'PY'
import os, sys
shape, n, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(f"{root}/migrations/versions", exist_ok=True)
open(f"{root}/alembic.ini", "w").write("[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
def rid(i): return "%012x" % (i * 2654435761 % 2**48 + 2**44)
def write(i, down, deps=None, labels=None):
    r = rid(i)
    d = repr(down) if not isinstance(down, list) else repr(tuple(down))
    open(f"{root}/migrations/versions/{r}_m.py", "w").write(
        f'"""m\n\nRevision ID: {r}\n"""\nrevision = {r!r}\ndown_revision = {d}\n'
        f"branch_labels = {labels!r}\ndepends_on = {deps!r}\n\ndef upgrade():\n    pass\n")
if shape == "chain":
    for i in range(n): write(i, rid(i-1) if i else None)
elif shape == "heads":
    write(0, None)
    for i in range(1, n+1): write(i, rid(0))
elif shape == "merge":
    write(0, None)
    for i in range(1, n+1): write(i, rid(0))
    write(n+1, [rid(i) for i in range(1, n+1)])
elif shape == "depends":
    for i in range(n): write(i, rid(i-1) if i else None, deps=rid(i-2) if i >= 2 else None)
elif shape == "labels":
    for i in range(n): write(i, rid(i-1) if i else None, labels=(f"l{i}" if i % 10 == 0 else None))
elif shape == "diamonds":
    write(0, None); prev = 0; k = 1
    for j in range(n):
        write(k, rid(prev)); write(k+1, rid(prev)); write(k+2, [rid(k), rid(k+1)]); prev = k+2; k += 3
PY
}

peak_mb() { /usr/bin/time -f %M "$@" >/dev/null 2>"$WORK/time" || true; echo $(( $(tail -1 "$WORK/time") / 1024 )); }

printf '%-22s %8s %8s %8s %8s %8s %8s %9s\n' shape files cat heads history check graph 'peak MB'
for spec in "chain 100000" "heads 20000" "merge 20000" "depends 20000" "labels 20000" "diamonds 10000"; do
  set -- $spec
  dir="$WORK/$1"; gen "$1" "$2" "$dir"; cd "$dir"
  files=$(ls migrations/versions | wc -l)
  cat_ms=$(median_ms sh -c 'find migrations/versions -name "*.py" -exec cat {} + > /dev/null')
  row=()
  for cmd in heads history check graph; do row+=("$(median_ms "$RG" "$cmd")"); done
  peak=0
  for cmd in heads history graph; do m=$(peak_mb "$RG" "$cmd"); [ "$m" -gt "$peak" ] && peak=$m; done
  printf '%-22s %8s %8s %8s %8s %8s %8s %9s\n' "$1 $2" "$files" "$cat_ms" "${row[@]}" "$peak"
  awk -v c="$cat_ms" -v h="${row[0]}" -v hi="${row[1]}" -v g="${row[3]}" -v s="$1" 'BEGIN {
    m = c < 1 ? 1 : c; printf "%-22s ratios to cat: heads %.2f, history %.2f, graph %.2f\n", s, h / m, hi / m, g / m }'
  cd - >/dev/null
done
