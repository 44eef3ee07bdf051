#!/usr/bin/env bash
# The built-in demo: a throwaway git repository where two branches each add a migration on the
# same parent. Each branch alone is fine; the merge forks the graph. revgraph sees it before the
# merge (check --staged on the merged index) and after it, without running any migration code.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
swift build -c release >/dev/null 2>&1 || swift build -c release
RG="$PWD/.build/release/revgraph"
DEMO=$(mktemp -d /tmp/revgraph-demo.XXXXXX)
trap 'rm -rf "$DEMO"' EXIT
cp -r Examples/demo/. "$DEMO/"
cd "$DEMO"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main . && git add -A && git commit -qm "users and orders"

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
step "$RG" check --staged
step "$RG" graph --format mermaid
echo
echo "demo done: the git merge forked the graph, 'revgraph check' caught it (exit 1), and"
echo "'revgraph merge --auto' wrote and staged the merge revision alembic merge would write."
