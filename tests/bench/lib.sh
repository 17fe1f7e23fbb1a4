# Shared by the benchmark scripts (sourced, not run).

# median wall-clock milliseconds of "$@" over $runs runs
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

# "wall_ms peak_kib cpu_ms" of one run of "$@" (CPU: user + system); uses the folder $work
measure() {
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null 2>&1
  awk '{ printf "%d %d %d\n", $1 * 1000, $2, ($3 + $4) * 1000 }' "$work/time"
}

# Each round's index step as a percentage of its search build, sorted: the `measure` lines of
# the search builds in file $1 against those of the bare builds, round for round, in $2.
round_shares() {
  paste -d' ' "$1" "$2" | awk '{ print ($1 - $4) * 100 / $1 }' | sort -n
}
