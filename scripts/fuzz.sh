#!/usr/bin/env bash
# Fuzzes revgraph's readers of untrusted text with libFuzzer (address sanitizer on): the
# migration parser (with the graph built from what it reads), the ini, TOML and Mako readers, lint, and
# the Django migration reader (with its graph, plan and merge), and the tz database and TZ rule reader.
# Each target runs FUZZ_SECONDS (default 60) from a seed corpus of real files: the demo project,
# alembic's own templates (from the test virtualenv when there is one) and Tests/Fuzz/Seeds.
# An input that crashes, leaks, takes over FUZZ_TIMEOUT seconds or over 2 GB fails the run;
# it is kept in .build/fuzz/artifacts. Usage: bash scripts/fuzz.sh [parser|ini|toml|template|lint|django|zone ...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@"); [ ${#TARGETS[@]} -gt 0 ] || TARGETS=(parser ini toml template lint django zone)
swift build --package-path Tests/Fuzz -c release -Xswiftc -sanitize=fuzzer,address >/dev/null 2>&1 \
  || swift build --package-path Tests/Fuzz -c release -Xswiftc -sanitize=fuzzer,address
BIN=Tests/Fuzz/.build/release
WORK=.build/fuzz
mkdir -p "$WORK/artifacts"
ALEMBIC_TEMPLATES=$(ls -d "${REVGRAPH_VENV:-/tmp/revgraph-venv}"/lib/python3*/site-packages/alembic/templates 2>/dev/null | head -1 || true)

seed() {  # seed TARGET DIR: the corpus directory, filled with the seeds (new finds stay there)
  local dir="$WORK/corpus/$1"
  mkdir -p "$dir"
  cp Tests/Fuzz/Seeds/"$1"/* "$dir"/
  case $1 in
    parser|lint) cp Examples/demo/migrations/versions/*.py Examples/demo/pending/*.py "$dir"/ ;;
    ini) cp Examples/demo/alembic.ini "$dir"/demo.ini
         [ -z "$ALEMBIC_TEMPLATES" ] || for t in "$ALEMBIC_TEMPLATES"/*/alembic.ini.mako; do
           cp "$t" "$dir/$(basename "$(dirname "$t")").ini"; done ;;
    toml) [ -z "$ALEMBIC_TEMPLATES" ] || for t in "$ALEMBIC_TEMPLATES"/*/pyproject.toml.mako; do
           [ -f "$t" ] && cp "$t" "$dir/$(basename "$(dirname "$t")").toml"; done ;;
    zone) for z in Europe/Berlin Australia/Lord_Howe America/New_York Asia/Kolkata; do  # the system's tz database
           [ -f "/usr/share/zoneinfo/$z" ] && cp "/usr/share/zoneinfo/$z" "$dir/${z//\//-}.tzif"; done ;;
    template) cp Examples/demo/migrations/script.py.mako "$dir"/demo.mako
         [ -z "$ALEMBIC_TEMPLATES" ] || for t in "$ALEMBIC_TEMPLATES"/*/script.py.mako; do
           cp "$t" "$dir/$(basename "$(dirname "$t")").mako"; done ;;
  esac
  echo "$dir"
}

status=0
for t in "${TARGETS[@]}"; do
  case $t in parser) exe=FuzzParser ;; ini) exe=FuzzIni ;; toml) exe=FuzzToml ;; template) exe=FuzzTemplate ;; lint) exe=FuzzLint ;; django) exe=FuzzDjango ;; zone) exe=FuzzZone ;;
    *) echo "fuzz: unknown target '$t' (parser, ini, toml, template, lint, django, zone)" >&2; exit 64 ;; esac
  corpus=$(seed "$t")
  log="$WORK/$t.log"
  if "$BIN/$exe" "$corpus" -max_total_time="$SECONDS_EACH" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$t-" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz $t: ok, $runs inputs in ${SECONDS_EACH}s, corpus $(ls "$corpus" | wc -l) files"
  else
    echo "fuzz $t: FAILED (input kept in $WORK/artifacts/; log $log)" >&2
    grep -E "ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    status=1
  fi
done
exit $status
