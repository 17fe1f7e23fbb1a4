#!/usr/bin/env bash
# Two builds of pufa compared in whole builds (not in `cargo bench --bench index`, whose warm
# process hides what a real build pays for allocating and for sharing the cores), on the
# shared corpus on /dev/shm. Each round runs A with search, B with search and A with
# `search: false`, seconds apart, so that all three see the same minute of this shared
# machine; a change is judged by the round-by-round difference B − A, whose spread the
# script prints (a median of single runs moves by ±10% here from one series to the next).
#
#   tests/bench/compare.sh BIN_A BIN_B [ROUNDS] [PAGES]     ROUNDS=20, PAGES=10000
#
# For example, the code before a change against the code after it:
#   git stash && cargo build --release && cp target/release/pufa /tmp/pufa-before
#   git stash pop && cargo build --release
#   tests/bench/compare.sh /tmp/pufa-before target/release/pufa
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,14p "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
a=$(realpath "$1")
b=$(realpath "$2")
rounds=${3:-20}
pages=${4:-10000}
work=$(mktemp -d /dev/shm/pufa-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 "$here/../shared/bench/gen_corpus.py" --pages "$pages" --out "$work/plain" --flavor plain --force >/dev/null
cp -r "$work/plain" "$work/bare"
echo "search: false" >> "$work/bare/content/site.yaml"

. "$here/tests/bench/lib.sh"
# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# A first build of each writes the output that the measured ones then find.
"$a" build --root "$work/plain" --out "$work/out-a" --quiet
"$b" build --root "$work/plain" --out "$work/out-b" --quiet
"$a" build --root "$work/bare" --quiet
if ! diff -rq "$work/out-a" "$work/out-b" >/dev/null; then
  echo "note: A and B write different files for the same site" >&2
fi
for _ in $(seq "$rounds"); do
  measure "$a" build --root "$work/plain" --out "$work/out-a" --quiet >> "$work/a.runs"
  measure "$b" build --root "$work/plain" --out "$work/out-b" --quiet >> "$work/b.runs"
  measure "$a" build --root "$work/bare" --quiet >> "$work/bare.runs"
done

echo "$pages pages, $rounds alternated rounds (median wall, median CPU, highest peak memory):"
for k in a b bare; do
  wall=$(cut -d' ' -f1 "$work/$k.runs" | median)
  cpu=$(cut -d' ' -f3 "$work/$k.runs" | median)
  peak=$(cut -d' ' -f2 "$work/$k.runs" | sort -n | tail -1 | awk '{ printf "%d", $1 / 1024 }')
  label=$(case $k in a) echo "A, search included";; b) echo "B, search included";; *) echo "A, search: false";; esac)
  printf '  %-22s %6d ms %6d ms CPU %5d MiB\n' "$label" "$wall" "$cpu" "$peak"
done
# The index step's share, each round against its own bare build.
for k in a b; do
  round_shares "$work/$k.runs" "$work/bare.runs" |
    awk -v k="${k^^}" '{ s[NR] = $1 } END { printf "  index step, %s: median %.1f%% of the build, quartiles %.1f%% to %.1f%%\n", k, s[int((NR + 1) / 2)], s[int((NR + 3) / 4)], s[int((3 * NR + 1) / 4)] }'
done
# B − A round by round: the figure to judge a change by.
for col in 1 3; do
  paste -d' ' "$work/a.runs" "$work/b.runs" | awk -v c="$col" '{ print $(c + 3) - $c }' | sort -n |
    awk -v what="$([ "$col" = 1 ] && echo wall || echo CPU)" '{ d[NR] = $1 } END { printf "  B − A, %s: median %+d ms, quartiles %+d to %+d ms\n", what, d[int((NR + 1) / 2)], d[int((NR + 3) / 4)], d[int((3 * NR + 1) / 4)] }'
done
