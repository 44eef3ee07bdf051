#!/usr/bin/env bash
# Compares `revgraph showmigrations --plan --verbosity 2 --at C` with scripts/django-reference.py
# (Python's ast + Django's own loader, Django from the test virtualenv) at each of the last MAX
# commits of REPO that touch a migrations directory; prints the commits that differ and a count.
# usage: bash scripts/compare-django-history.sh REPO [MAX]   (RG=path/to/revgraph to pick a binary)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$1; max=${2:-300}
RG=${RG:-$here/../.build/release/revgraph}
PY=${REVGRAPH_ALEMBIC_PYTHON:-/tmp/revgraph-venv/bin/python}
cd "$repo"; n=0; bad=0; rgerr=0; referr=0
for c in $(git log --format=%H -n "$max" -- '*/migrations/*.py'); do
  n=$((n+1)); d=$(mktemp -d /tmp/revgraph-djh.XXXXXX)
  git archive "$c" $(git ls-tree -r --name-only "$c" | grep -E '(^|/)(migrations/[^/]*\.py|apps\.py|manage\.py)$') | tar -x -C "$d" 2>/dev/null
  if ! "$PY" "$here/django-reference.py" "$d" > "$d.ref" 2> "$d.referr"; then
    referr=$((referr+1)); echo "$c: the reference fails: $(tail -1 "$d.referr")"
    # Django refuses that tree; revgraph must report it too (exit 1), never an all-clear.
    "$RG" check --at "$c" --django > /dev/null 2>&1; [ $? -eq 1 ] || { bad=$((bad+1)); echo "$c: revgraph check did not fail"; }
  else
    "$RG" showmigrations --plan --verbosity 2 --at "$c" --django > "$d.rg" 2> "$d.rgerr" || rgerr=$((rgerr+1))
    if ! cmp -s "$d.ref" "$d.rg"; then bad=$((bad+1)); echo "$c differs:"; diff "$d.ref" "$d.rg" | head -5; fi
  fi
  rm -rf "$d" "$d".*
done
echo "$repo: $n commits, $bad differ, $rgerr with a revgraph error, $referr where the reference fails (revgraph check fails there too unless counted as differing)"
