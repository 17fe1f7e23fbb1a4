#!/usr/bin/env bash
# Build-speed benchmark: generates the shared Chinese corpus at 1,000 and 10,000 pages, builds
# each with the release pufa (median of RUNS), and, when Debian's `hugo` is installed, builds the
# same corpus with Hugo in the same run so the ratio is measured on the same machine and load.
#
#   tests/bench/run.sh [SIZES...]        default: 1000 10000;  RUNS=3 by default
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
gen="$here/../shared/bench/gen_corpus.py"
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pufa="$here/target/release/pufa"

. "$(dirname "$0")/lib.sh"

printf '%-8s %-8s %10s %10s %12s\n' tool pages ms pages/s vs-hugo
for n in "${sizes[@]}"; do
  python3 "$gen" --pages "$n" --out "$work/plain-$n" --flavor plain --force >/dev/null
  "$pufa" build --root "$work/plain-$n" --quiet   # warm the page cache, fail loudly on errors
  written=$(find "$work/plain-$n/public" -name '*.html' | wc -l)
  ms=$(median_ms "$pufa" build --root "$work/plain-$n" --quiet)
  hugo_ms=""
  if command -v hugo >/dev/null; then
    python3 "$gen" --pages "$n" --out "$work/hugo-$n" --flavor hugo --force >/dev/null
    hugo --source "$work/hugo-$n" --quiet >/dev/null 2>&1 || true
    hugo_ms=$(median_ms hugo --source "$work/hugo-$n" --quiet)
    printf '%-8s %-8s %10s %10s %12s\n' hugo "$n" "$hugo_ms" $(( n * 1000 / (hugo_ms > 0 ? hugo_ms : 1) )) "1.00"
  fi
  ratio=$( [ -n "$hugo_ms" ] && awk -v a="$ms" -v b="$hugo_ms" 'BEGIN { printf "%.2f", a / b }' || echo "-")
  printf '%-8s %-8s %10s %10s %12s   (%s HTML files, with the search index)\n' pufa "$n" "$ms" $(( n * 1000 / (ms > 0 ? ms : 1) )) "$ratio" "$written"
  # The same corpus without the search index (search: false), the like-for-like with Hugo.
  cp -r "$work/plain-$n" "$work/nosearch-$n"
  echo "search: false" >> "$work/nosearch-$n/content/site.yaml"
  "$pufa" build --root "$work/nosearch-$n" --quiet
  ms=$(median_ms "$pufa" build --root "$work/nosearch-$n" --quiet)
  ratio=$( [ -n "$hugo_ms" ] && awk -v a="$ms" -v b="$hugo_ms" 'BEGIN { printf "%.2f", a / b }' || echo "-")
  printf '%-8s %-8s %10s %10s %12s   (search: false)\n' pufa "$n" "$ms" $(( n * 1000 / (ms > 0 ? ms : 1) )) "$ratio"
done
