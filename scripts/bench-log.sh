#!/usr/bin/env bash
# Benchmark (run by hand): a generated repository with 20,000 commits and 2,000 revisions, with
# forks and merges. Times, in the same run:
#   revgraph log --first-parent   against   git log --first-parent --name-only -- <versions dir>
#   revgraph heads --at <old commit>   against   revgraph heads on the work tree
set -euo pipefail
cd "$(dirname "$0")/.."
# RG: the binary to measure (bench-all.sh passes the packaged, statically linked one).
if [ -z "${RG:-}" ]; then swift build -c release >/dev/null 2>&1 || swift build -c release; RG="$PWD/.build/release/revgraph"; fi
COMMITS=${COMMITS:-20000}
REVS=${REVS:-2000}
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/revgraph-benchlog.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

source scripts/lib.sh  # the script has cd-ed to the repository root

cd "$WORK" && git init -q -b main repo && cd repo
python3 - "$COMMITS" "$REVS" <<'PY' | git fast-import --quiet
import sys
commits, revs = int(sys.argv[1]), int(sys.argv[2])
every = max(1, commits // revs)
out = sys.stdout
mark = 0; t = 1600000000
def blob(text):
    global mark; mark += 1
    data = text.encode()
    out.write(f"blob\nmark :{mark}\ndata {len(data)}\n"); out.buffer.write(data) if False else out.write(text); out.write("\n")
    return mark
def mig(rev, down):
    d = "None" if down is None else (repr(down) if isinstance(down, str) else repr(tuple(down)))
    return f'"""r {rev}"""\nrevision = {rev!r}\ndown_revision = {d}\nbranch_labels = None\ndepends_on = None\n'
ini = blob("[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
prev_commit = None; head_rev = None; n_rev = 0; side = None; pending = None
for i in range(commits):
    t += 60
    files = []
    if i == 0:
        files.append(("alembic.ini", ini))
    if i % every == 0 and n_rev < revs:
        rev = "%012x" % (n_rev * 2654435761 % 2**48 + 1); n_rev += 1
        if n_rev % 100 == 50:
            side = (rev, head_rev, i + every + every // 2)   # a side-branch revision, merged after the next mainline one
        else:
            down = head_rev if not pending else [head_rev, pending]
            files.append((f"migrations/versions/{rev}.py", blob(mig(rev, down))))
            head_rev = rev; pending = None
    else:
        files.append((f"src/file{i % 500}.txt", blob(f"change {i}\n")))
    mark += 1
    cm = mark
    merge_from = None
    if side and i == side[2]:
        # side branch commit: adds the side revision on the old head -> fork when merged
        srev, sdown, _ = side
        sb = blob(mig(srev, sdown))
        mark += 1; sm = mark
        out.write(f"commit refs/heads/side\nmark :{sm}\ncommitter Dev <dev@example.com> {t} +0000\ndata 9\nside rev\n")
        if prev_commit: out.write(f"from :{prev_commit}\n")
        out.write(f"M 100644 :{sb} migrations/versions/{srev}.py\n\n")
        merge_from = sm; side = None
        mark += 1; cm = mark
        files = files + [(f"migrations/versions/{srev}.py", sb)]
        # the merge commit brings the fork; the next mainline revision is a merge revision
        pending = srev
    out.write(f"commit refs/heads/main\nmark :{cm}\ncommitter Dev <dev@example.com> {t} +0000\n")
    msg = "Merge branch 'side'" if merge_from else f"commit {i}"
    out.write(f"data {len(msg)}\n{msg}\n")
    if prev_commit: out.write(f"from :{prev_commit}\n")
    if merge_from: out.write(f"merge :{merge_from}\n")
    for path, b in files: out.write(f"M 100644 :{b} {path}\n")
    out.write("\n")
    prev_commit = cm
PY
git checkout -q -f main
NC=$(git rev-list --count HEAD); NF=$(git rev-list --first-parent --count HEAD); NR=$(ls migrations/versions | wc -l)
echo "repository: $NC commits ($NF first-parent), $NR revision files"
git_ms=$(median_ms git log --first-parent --name-only --format=%H -- migrations/versions)
rg_ms=$(median_ms "$RG" log --first-parent)
old=$(git rev-list --first-parent HEAD | sed -n "$((NF / 2))p")
sleep 3  # let the checked-out files age past the parse cache's racy-clean window
# heads takes milliseconds: at least 11 runs even when the log timings take one (RUNS=1).
HR=$(( RUNS < 11 ? 11 : RUNS ))
wt_ms=$(REVGRAPH_NO_CACHE=1 RUNS=$HR median_ms "$RG" heads)
at_ms=$(REVGRAPH_NO_CACHE=1 RUNS=$HR median_ms "$RG" heads --at "$old")
"$RG" heads >/dev/null; "$RG" heads --at "$old" >/dev/null   # fill the parse cache
wt_warm=$(RUNS=$HR median_ms "$RG" heads)
at_warm=$(RUNS=$HR median_ms "$RG" heads --at "$old")
"$RG" log --first-parent | tail -2
printf 'git log --first-parent --name-only -- versions  %6s ms\n' "$git_ms"
printf 'revgraph log --first-parent                     %6s ms   ratio %s\n' "$rg_ms" "$(awk -v a="$rg_ms" -v b="$git_ms" 'BEGIN{printf "%.2f", a/(b<1?1:b)}')"
printf 'revgraph heads (work tree, no cache)            %6s ms\n' "$wt_ms"
printf 'revgraph heads --at <old commit> (no cache)     %6s ms   ratio %s\n' "$at_ms" "$(awk -v a="$at_ms" -v b="$wt_ms" 'BEGIN{printf "%.2f", a/(b<1?1:b)}')"
printf 'revgraph heads (work tree, warm cache)          %6s ms\n' "$wt_warm"
printf 'revgraph heads --at <old commit> (warm cache)   %6s ms   ratio %s\n' "$at_warm" "$(awk -v a="$at_warm" -v b="$wt_warm" 'BEGIN{printf "%.2f", a/(b<1?1:b)}')"
