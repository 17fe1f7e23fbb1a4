#!/usr/bin/env bash
# Directory benchmark: generates one `kind: directory` file of N entries (default 10,000) spread
# over the sample regions, with a duplicate-free id per entry, phones (some private) and
# locations, then builds it with the release pufa (median of RUNS, default 3). Shows that the
# id and region checks, the grouped page, the region pages and the CSV/JSON/vCard downloads
# stay linear.
#
#   tests/bench/directory.sh [ENTRIES]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
entries=${1:-10000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
pufa="$here/target/release/pufa"

python3 - "$work" "$entries" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
regions = ["瑶峰镇", "庙前镇", "裴介镇", "水头镇", "埝掌镇", "泗交镇", "禹王乡", "尉郭乡", "胡张乡", "南大里乡", "祁家河乡"]
surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
given = "建国志强秀英丽华明远晓东海涛春燕玉梅永刚红军"
os.makedirs(f"{root}/content/directory", exist_ok=True)
with open(f"{root}/content/site.yaml", "w") as f:
    f.write("title: 目录基准\nbase_url: https://example.gov.cn/\n")
    f.write("regions: [" + ", ".join(regions) + "]\n")
with open(f"{root}/content/directory/_index.md", "w") as f:
    f.write("---\ntitle: 名录\nkind: directory\n---\n")
with open(f"{root}/content/directory/people.yaml", "w") as f:
    f.write("title: 法律明白人\nsummary: 基准测试数据（示例数据）。\nentries:\n")
    for i in range(n):
        region = regions[i % len(regions)]
        name = surnames[i % len(surnames)] + given[(i * 7) % len(given)] + given[(i * 13) % len(given)]
        f.write(f"  - id: person-{i:05d}\n    name: {name}\n    role: 法律明白人\n")
        f.write(f"    region: {region}\n    place: 第{i % 40 + 1}村\n")
        f.write(f"    serves: [第{i % 40 + 1}村, 第{i % 40 + 2}村]\n")
        f.write(f"    phone: \"138{i:08d}\"\n")
        if i % 3 == 0:
            f.write("    public_phone: false\n")
        f.write(f"    location: {{ lat: {35 + (i % 1000) / 5000:.4f}, lon: {111 + (i % 997) / 2500:.4f} }}\n")
        f.write("    services: [人民调解, 普法宣传]\n")
PY

. "$(dirname "$0")/lib.sh"

"$pufa" build --root "$work" --quiet   # fail loudly on errors
ms=$(median_ms "$pufa" build --root "$work" --quiet)
size=$(du -sh "$work/public/directory" | cut -f1)
printf 'directory entries=%s  build=%s ms (median of %s)  output=%s\n' "$entries" "$ms" "$runs" "$size"
