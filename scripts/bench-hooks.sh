#!/usr/bin/env bash
# Benchmark (run by hand): the pre-commit and pre-push hooks on a repository with 1,000 revisions
# and a remote, against `git status` in the same run (REVS=5000 for the larger one). Targets: pre-commit
# under 30 ms at 1,000 revisions and under 60 ms at 5,000.
set -euo pipefail
cd "$(dirname "$0")/.."
# RG: the binary to measure (bench-all.sh passes the packaged, statically linked one).
if [ -z "${RG:-}" ]; then swift build -c release >/dev/null 2>&1 || swift build -c release; RG="$PWD/.build/release/revgraph"; fi
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/revgraph-benchhooks.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
source scripts/lib.sh  # the script has cd-ed to the repository root
export GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@x GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@x
cd "$WORK" && git init -q --bare -b main remote.git && git init -q -b main work && cd work
python3 - <<'PY'
import os
os.makedirs("migrations/versions")
open("alembic.ini", "w").write("[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n")
open("migrations/env.py", "w").write("")
prev = None
import os
for i in range(int(os.environ.get("REVS", "1000"))):
    rev = "%012x" % (i * 2654435761 % 2**48 + 1)
    d = "None" if prev is None else repr(prev)
    open(f"migrations/versions/{rev}_step_{i}.py", "w").write(
        f'"""step {i}"""\nrevision = {rev!r}\ndown_revision = {d}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n')
    prev = rev
open(".git/last-revision", "w").write(prev)
PY
git add -A && git commit -qm base && git remote add origin ../remote.git && git push -q -u origin main && git remote set-head origin main
SHA=$(git rev-parse HEAD)
status_ms=$(median_ms git status)
# Three commits: application code only; the config touched (the published-refs check then loads
# the upstream's project again); a new revision (linted against the replayed history).
mkdir -p app && echo "x = 1" > app/models.py && git add app/models.py
code_ms=$(median_ms "$RG" hook pre-commit)
echo "# touch" >> alembic.ini && git add alembic.ini
pre_commit_ms=$(median_ms "$RG" hook pre-commit)
pre_push_ms=$(median_ms sh -c "echo 'refs/heads/main $SHA refs/heads/main $SHA' | '$RG' hook pre-push origin ../remote.git")
printf 'git status                      %5s ms\n' "$status_ms"
printf 'revgraph hook pre-commit        %5s ms   (%s revisions, application code staged)\n' "$code_ms" "${REVS:-1000}"
printf 'revgraph hook pre-commit, config touched %5s ms\n' "$pre_commit_ms"
printf 'revgraph hook pre-push          %5s ms\n' "$pre_push_ms"
# Adding one revision that drops a column: lint reads the whole history to replay the schema.
printf "revision = 'zz1'\ndown_revision = '%s'\ndef upgrade():\n    op.drop_column('invoices', 'legacy_flag')\ndef downgrade():\n    pass\n" \
  "$(cat .git/last-revision)" > migrations/versions/zz1.py
git add migrations/versions/zz1.py
lint_ms=$(median_ms "$RG" hook pre-commit)
printf 'revgraph hook pre-commit adding a revision (lint) %5s ms\n' "$lint_ms"
