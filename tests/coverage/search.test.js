// The real search script of a built site (PUFA_SITE: built from tests/fixtures/coverage by
// tests/coverage.rs) under Node: each village is its own result, found by its name or by its
// township, linking its row on the coverage page (where its counsel and nearest office are).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const site = process.env.PUFA_SITE;
assert.ok(site && fs.existsSync(path.join(site, "search", "index.json")), "PUFA_SITE must be a built site");
const script = fs.readdirSync(path.join(site, "js")).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
const api = require(path.join(site, "js", script));

async function search(query) {
  const e = new api.Engine(path.join(site, "search") + path.sep, (file, type) => {
    const bytes = fs.readFileSync(file);
    return Promise.resolve(type === "json" ? JSON.parse(bytes) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  });
  const found = await e.search(query, "");
  return e.records(found.ids);
}

test("a village is found by its name and links its row", async () => {
  const found = await search("北村");
  const place = found.find((r) => r.title === "北村（甲镇）");
  assert.ok(place, found.map((r) => r.title).join());
  assert.strictEqual(place.kind, "法律服务圈");
  assert.strictEqual(place.url, "/coverage/#p-jia-zhen-bei-cun");
});

test("a search for a counsel or an office finds their own entry, not every village", async () => {
  const byCounsel = (await search("王顾问")).map((r) => r.title);
  assert.deepStrictEqual(byCounsel, ["王顾问"]);
  const byOffice = (await search("乙司法所")).map((r) => r.title);
  assert.ok(byOffice.includes("乙司法所"), byOffice.join());
  assert.ok(!byOffice.some((t) => t.endsWith("（乙镇）")), byOffice.join());
  const byTownship = (await search("乙镇")).map((r) => r.title);
  assert.ok(byTownship.includes("近村（乙镇）"), byTownship.join());
});
