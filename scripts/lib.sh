# Shared by the benchmark scripts: the median wall time in ms (one decimal) of RUNS runs of "$@".
# Timed with bash's EPOCHREALTIME (microseconds, no process started to read the clock: `date`
# before and after added its own start, about a millisecond, to every figure).
median_ms() {
  local times=()
  for _ in $(seq "${RUNS:-5}"); do
    local s e
    s=${EPOCHREALTIME//[.,]/}; "$@" >/dev/null 2>&1 || true; e=${EPOCHREALTIME//[.,]/}
    times+=($(( e - s )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)] / 1000}'
}
