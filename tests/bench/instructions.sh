#!/usr/bin/env bash
# Instructions the search index step executes once (making the records, indexing, encoding),
# counted by valgrind's callgrind on one thread. Wall time on this shared machine swings ±30%
# between runs; this count moves by well under 1% from run to run, so it tells a 5% change
# in the step's code (it does not see cache misses: confirm a gain with `cargo bench --bench
# index` or tests/bench/search.sh).
#
#   tests/bench/instructions.sh [SITE]     SITE defaults to a generated 2,000-page corpus
#
# Needs valgrind (apt-get install valgrind). It runs the index bench once with one run and
# once with two, and prints the difference: the step alone, without loading the site.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }
site=${1:-}
if [ -z "$site" ]; then
  site=$(mktemp -d /dev/shm/pufa-ir.XXXXXX)
  trap 'rm -rf "$site"' EXIT
  python3 "$here/../shared/bench/gen_corpus.py" --pages 2000 --out "$site" --flavor plain --force >/dev/null
fi
bench=$(cd "$here" && cargo bench --bench index --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p')
[ -x "$bench" ] || bench="$here/$bench"
count() {
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$site" "$1" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
one=$(count 1)
two=$(count 2)
echo "index step: $((two - one)) instructions ($(basename "$site"))"
