# Shared by the benchmark scripts: the median wall time in ms of RUNS runs of "$@".
median_ms() {
  local times=()
  for _ in $(seq "${RUNS:-5}"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
