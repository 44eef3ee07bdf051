#!/usr/bin/env bash
# Every speed figure of the README in one run (by hand, not by the tests), each against its
# baseline measured in the same run, on the binary users install: the packaged build (Swift
# runtime linked statically). Prints each script's lines, then the ratios with their targets.
#   bash scripts/bench-all.sh            (about 12 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product revgraph --static-swift-stdlib --scratch-path .build/bench >/dev/null 2>&1 \
  || swift build -c release --product revgraph --static-swift-stdlib --scratch-path .build/bench
export RG="$PWD/.build/bench/release/revgraph"
OUT=$(mktemp /tmp/revgraph-benchall.XXXXXX)
trap 'rm -f "$OUT"' EXIT
section() { printf '\n## %s\n' "$1" | tee -a "$OUT"; shift; "$@" 2>&1 | tee -a "$OUT"; }
# The short timings (tens of milliseconds) take the median of 11 runs: on this kind of machine
# a median of 5 moved by a third between runs of the script.
section "heads, history: 1,000 and 5,000 revisions (cat, git status, alembic)" env RUNS=${RUNS:-11} bash scripts/bench.sh
section "hooks: 1,000 revisions" env REVS=1000 RUNS=${RUNS:-11} bash scripts/bench-hooks.sh
section "hooks: 5,000 revisions" env REVS=5000 RUNS=${RUNS:-11} bash scripts/bench-hooks.sh
section "log: every commit touches the versions directory (1,500 commits)" env COMMITS=1500 REVS=1500 bash scripts/bench-log.sh
section "log: few commits touch it (20,000 commits, 2,000 revisions)" env COMMITS=20000 REVS=2000 bash scripts/bench-log.sh
section "log: 100,000 commits, 2,000 revisions" env COMMITS=100000 REVS=2000 RUNS=1 bash scripts/bench-log.sh
section "graph shapes (hardening): wide and deep" bash scripts/bench-graph.sh

echo
echo "## ratios (target)"
awk '
  /^## / { sec = substr($0, 4) }
  /ratios: cold heads/ { print }
  /revgraph hook pre-commit  / { printf "pre-commit hook (code staged), %s: %s ms (target: 30 ms at 1,000, 60 ms at 5,000)\n", sec, $4 }
  /pre-commit, config touched/ { printf "pre-commit hook (config touched), %s: %s ms\n", sec, $(NF-1) }
  /pre-commit adding a revision/ { printf "pre-commit hook adding a revision (lint), %s: %s ms\n", sec, $(NF-1) }
  /^revgraph log --first-parent/ { printf "log / git log, %s: %s (target 2)\n", sec, $NF }
  /heads --at <old commit> \(warm cache\)/ { printf "heads --at OLD / heads (warm), %s: %s (target 1.5)\n", sec, $NF }
  /ratios to cat/ { print "graph " $0 }
  /^parser:/ { print }
' "$OUT"
