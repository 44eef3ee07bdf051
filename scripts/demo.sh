#!/usr/bin/env bash
# The built-in demo: a throwaway git repository where two branches each add a migration on the
# same parent. Each branch alone is fine; the merge forks the graph. revgraph sees it before the
# merge (check --staged on the merged index) and after it, without running any migration code.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$(bash scripts/setup.sh | tail -1)
swift build -c release >/dev/null 2>&1 || swift build -c release
RG="$PWD/.build/release/revgraph"
DEMO=$(mktemp -d /tmp/revgraph-demo.XXXXXX)
trap 'rm -rf "$DEMO"' EXIT
cp -r Examples/demo/. "$DEMO/"
cd "$DEMO"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main . && git add -A && git commit -qm "users and orders"
export REVGRAPH="$RG"
"$RG" hooks install >/dev/null

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || echo "(exit $?)"; }
git checkout -q -b feature-email
cp "$DEMO/pending/3c1d4e5f6a7b_add_email.py" migrations/versions/ && git add -A && git commit -qm "add email"
git checkout -q main
cp "$DEMO/pending/9a8b7c6d5e4f_add_invoices.py" migrations/versions/ && git add -A && git commit -qm "add invoices"
rm -rf pending

step "$RG" heads
step "$RG" heads --at feature-email
step "$RG" history
git merge -q --no-edit feature-email
step "$RG" check
step "$RG" check --at HEAD~1
step "$RG" graph
step "$RG" merge --auto -m "merge email and invoices" --stage
step "$RG" check
step "$RG" graph --format mermaid
git commit -qm "merge heads"

printf '\n\033[1m# the pre-commit hook refuses a commit that forks the graph again\033[0m\n'
sed 's/9a8b7c6d5e4f/9a8b7c6d5e40/; s/add invoices/add coupons/' migrations/versions/9a8b7c6d5e4f_add_invoices.py \
  > migrations/versions/9a8b7c6d5e40_add_coupons.py
git add -A
step git commit -qm "add coupons"
git rm -q --cached migrations/versions/9a8b7c6d5e40_add_coupons.py && rm migrations/versions/9a8b7c6d5e40_add_coupons.py

printf '\n\033[1m# deploy: alembic upgrades SQLite, revgraph records what was applied\033[0m\n'
step "$VENV/bin/alembic" -q upgrade head
step "$RG" current
step "$RG" record
step "$RG" verify
printf '\n\033[1m# someone edits an applied migration (bypassing the hook); verify names the commit\033[0m\n'
sed -i 's/    pass/    op.execute("select 1")/' migrations/versions/5a6b7c8d9e0f_create_orders.py
git commit -q --no-verify -am "tweak orders migration"
step "$RG" verify
echo
echo "demo done: the git merge forked the graph, 'revgraph check' caught it, 'revgraph merge --auto'"
echo "wrote the merge revision alembic merge would write, the hook blocked a new fork, and the"
echo "ledger caught an edit of an applied migration."
