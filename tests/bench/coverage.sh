#!/usr/bin/env bash
# Coverage benchmark: generates a site of PLACES villages (default 5,000) and POINTS service
# points (default 2,000, half 司法所, half 法律服务站) spread over a county-sized box, with a
# counsel serving every village but one in twenty, then builds it with the release pufa
# (median of RUNS, default 3). The same site without the coverage section is built too, so
# the difference is what the coverage kind costs: the nearest-point search (a grid, not all
# pairs), the page, township pages, the map, the CSV and the warnings.
#
#   tests/bench/coverage.sh [PLACES] [POINTS]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
places=${1:-5000}
points=${2:-2000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pufa="$here/target/release/pufa"

python3 - "$work" "$places" "$points" <<'PY'
import os, random, sys
root, n_places, n_points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(16)
regions = ["瑶峰镇", "庙前镇", "裴介镇", "水头镇", "埝掌镇", "泗交镇", "禹王乡", "尉郭乡", "胡张乡", "南大里乡", "祁家河乡"]
os.makedirs(f"{root}/content/directory", exist_ok=True)
os.makedirs(f"{root}/content/coverage", exist_ok=True)
with open(f"{root}/content/site.yaml", "w") as f:
    f.write("title: 服务圈基准\nbase_url: https://example.gov.cn/\nsearch: false\n")
    f.write("regions: [" + ", ".join(regions) + "]\n")
    f.write("coverage: { minutes: 30, speed_kmh: 15, roles: [司法所, 法律服务站] }\n")
with open(f"{root}/content/directory/_index.md", "w") as f:
    f.write("---\ntitle: 名录\nkind: directory\n---\n")
with open(f"{root}/content/coverage/_index.md", "w") as f:
    f.write("---\ntitle: 服务圈\nkind: coverage\n---\n")
def spot():
    return 34.6 + rnd.random() * 0.8, 110.8 + rnd.random() * 1.0
with open(f"{root}/content/directory/points.yaml", "w") as f:
    f.write("title: 服务点\nentries:\n")
    for i in range(n_points):
        lat, lon = spot()
        role = "司法所" if i % 2 == 0 else "法律服务站"
        f.write(f"  - id: point-{i:05d}\n    name: 第{i}服务点\n    role: {role}\n")
        f.write(f"    region: {regions[i % len(regions)]}\n    phone: \"0359-85{i:05d}\"\n")
        f.write(f"    location: {{ lat: {lat:.5f}, lon: {lon:.5f} }}\n")
    for i in range(0, n_places, 5):
        served = [f"第{j}村" for j in range(i, min(i + 5, n_places)) if j % 20 != 7]
        f.write(f"  - id: counsel-{i:05d}\n    name: 顾问{i}\n    role: 村（居）法律顾问\n")
        f.write(f"    serves: [{', '.join(served)}]\n")
with open(f"{root}/content/coverage/places.yaml", "w") as f:
    f.write("summary: 基准测试数据（示例数据）。\nplaces:\n")
    for i in range(n_places):
        lat, lon = spot()
        f.write(f"  - {{ name: 第{i}村, region: {regions[i % len(regions)]}, location: {{ lat: {lat:.5f}, lon: {lon:.5f} }} }}\n")
PY

. "$(dirname "$0")/lib.sh"

"$pufa" build --root "$work" --quiet   # fail loudly on errors
with=$(median_ms "$pufa" build --root "$work" --quiet)
size=$(du -sh "$work/public/coverage" | cut -f1)
rm -rf "$work/content/coverage"
"$pufa" build --root "$work" --quiet
without=$(median_ms "$pufa" build --root "$work" --quiet)
printf 'coverage places=%s points=%s  build=%s ms, without the coverage section=%s ms (median of %s)  coverage output=%s\n' \
  "$places" "$points" "$with" "$without" "$runs" "$size"
