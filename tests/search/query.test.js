// The real search script of a built site (PUFA_SITE: its output folder, built from
// tests/fixtures/search by tests/search.rs) run under Node against the built index files.
// Run by `cargo test --test search`; on its own: PUFA_SITE=DIR node --test tests/search/
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const site = process.env.PUFA_SITE;
assert.ok(site && fs.existsSync(path.join(site, "search", "index.json")), "PUFA_SITE must be a built site");
const script = fs.readdirSync(path.join(site, "js")).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
const api = require(path.join(site, "js", script));

let fetched = [];
function engine() {
  return new api.Engine(path.join(site, "search") + path.sep, (file, type) => {
    fetched.push(path.basename(file));
    const bytes = fs.readFileSync(file);
    return Promise.resolve(type === "json" ? JSON.parse(bytes) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  });
}

async function search(query, kind) {
  const e = engine();
  const found = await e.search(query, kind || "");
  const records = await e.records(found.ids);
  return records.map((r) => ({ ...r, excerpt: api.excerpt(r.text, api.needles(found.words), 60) }));
}

const titles = (records) => records.map((r) => r.title);

test("a two-character word matches only where the characters are adjacent", async () => {
  const found = titles(await search("离婚"));
  assert.ok(found.includes("家事纠纷怎么办"), found.join());
  assert.ok(!found.includes("一位老人的故事"), "离 and 婚 apart must not match: " + found.join());
});

test("a word of four characters matches only as a whole", async () => {
  const found = titles(await search("人民调解"));
  assert.ok(found.includes("申请人民调解"), found.join());
  assert.ok(!found.includes("基层走访"), "人民调研 … 村民调解 is not 人民调解: " + found.join());
});

test("a word of five or more characters is checked for adjacency with positions", async () => {
  const found = titles(await search("人民调解员"));
  assert.ok(found.includes("基层走访") === false, found.join());
  const long = titles(await search("组织村民调解员培训"));
  assert.deepStrictEqual(long, ["基层走访"]);
  const apart = titles(await search("全年法律援助中"));
  assert.ok(!apart.includes("校对示例"), "全年法律援 … 律援助中 apart: " + apart.join());
});

test("a word of three characters matches inside a longer run and at a run's end", async () => {
  fetched = [];
  const inside = titles(await search("调解员"));
  assert.deepStrictEqual(inside.sort(), ["基层走访", "家事纠纷怎么办"].sort());
  assert.strictEqual(fetched.filter((f) => /^d\d+\./.test(f)).length, 1, fetched.join());
  assert.ok(!fetched.some((f) => /^p\d+\./.test(f)), "no positions for a three-character word");
  assert.deepStrictEqual(titles(await search("的婚礼")), ["一位老人的故事"]);
  assert.deepStrictEqual(titles(await search("婚纠纷")), ["家事纠纷怎么办"]);
  assert.deepStrictEqual(await search("离婚礼"), [], "离 … 婚礼 apart must not match");
  assert.deepStrictEqual(await search("调解所"), []);
});

test("a word the site never uses finds nothing", async () => {
  assert.deepStrictEqual(await search("离职"), []);
});

test("several words must all match", async () => {
  const both = titles(await search("养老保险 法律援助"));
  assert.deepStrictEqual(both, ["社会保险待遇"]);
  const one = titles(await search("法律援助"));
  assert.ok(one.length > both.length, one.join());
  assert.deepStrictEqual(await search("养老保险 离婚纠纷"), []);
});

test("a title match ranks above a body match", async () => {
  const found = titles(await search("法律援助"));
  assert.strictEqual(found[0].includes("法律援助"), true, found.join());
  assert.ok(found.indexOf("申请法律援助") < found.indexOf("社会保险待遇"), found.join());
});

test("built-in and site synonyms bring citizens' words to the site's words", async () => {
  assert.ok(titles(await search("退休金")).includes("社会保险待遇"), "site synonym 退休金 → 养老保险");
  assert.ok(titles(await search("请律师")).includes("申请法律援助"), "built-in 请律师 → 法律援助");
});

test("the count of results names the synonyms searched too, each once", async () => {
  const words = (query) => engine().search(query, "").then((found) => found.words);
  assert.strictEqual(api.alsoSearched(await words("退休金")), "（同时搜索了“养老保险”）");
  assert.strictEqual(api.alsoSearched(await words("讨薪 欠薪")), "（同时搜索了“劳动报酬”“欠薪”“讨薪”）");
  assert.strictEqual(api.alsoSearched(await words("调解")), "", "no synonym, nothing added");
});

test("one character finds pages with that character", async () => {
  const found = titles(await search("婚"));
  assert.ok(found.includes("家事纠纷怎么办") && found.includes("一位老人的故事"), found.join());
});

test("numbers and Latin words are whole tokens, full-width forms count as ASCII", async () => {
  assert.ok(titles(await search("12348")).includes("热线电话"), "full-width １２３４８ in the page");
  assert.ok(titles(await search("１２３４８")).includes("热线电话"), "full-width query");
  assert.ok(titles(await search("gb/t")).includes("热线电话"));
  assert.ok(titles(await search("0359-8500012")).includes("测试县法律援助中心"));
  assert.ok(titles(await search("8500012")).includes("测试县法律援助中心"), "part of a phone number");
});

test("a directory entry links to itself on its directory page, with its own snippet", async () => {
  const found = await search("李律师");
  const entry = found.find((r) => r.title === "李律师");
  assert.ok(entry, titles(found).join());
  assert.strictEqual(entry.url, "/sfj/directory/offices/#counsel-li");
  assert.strictEqual(entry.kind, "服务名录");
  assert.ok(entry.text.includes("村（居）法律顾问"), entry.text);
  assert.ok(!entry.text.includes("测试县法律援助中心") && !entry.text.includes("8500012"), "a neighbour's details: " + entry.text);
  assert.ok(!entry.text.includes("13900000009"), "a masked mobile is never whole: " + entry.text);
});

test("a directory entry's snippet labels its fields, as its directory page does", async () => {
  const office = (await search("法援大楼")).find((r) => r.title === "测试县法律援助中心");
  assert.ok(office, "the office is found by its address");
  assert.strictEqual(
    office.text,
    "法律援助机构；电话：0359-8500012；地址：测试县示例路1号法援大楼二层；办公时间：周一至周五 8:00—12:00，14:30—17:30",
  );
  const counsel = (await search("李律师")).find((r) => r.title === "李律师");
  assert.ok(counsel.text.startsWith("村（居）法律顾问，瑶峰镇；电话："), counsel.text);
  // The labels are shown, not indexed: they are not the editors' words.
  assert.deepStrictEqual(titles(await search("办公时间")), []);
});

test("an excerpt starts a little before its match, and a text that fits is shown whole", () => {
  const text = "甲".repeat(50) + "调解" + "乙".repeat(50);
  const around = api.excerpt(text, ["调解"], 30);
  assert.strictEqual(around[0].text, "…" + "甲".repeat(20));
  assert.strictEqual(around[1].text, "调解");
  assert.strictEqual(around[1].mark, true);
  assert.strictEqual(around[2].text, "乙".repeat(8) + "…");
  const short = "村（居）法律顾问，瑶峰镇；服务事项：" + "乙".repeat(20) + "调解";
  const whole = api.excerpt(short, ["调解"], 60);
  assert.strictEqual(whole.map((p) => p.text).join(""), short, "no leading …");
  const tail = api.excerpt("甲".repeat(80) + "调解", ["调解"], 30);
  assert.strictEqual(tail[0].text, "…" + "甲".repeat(28), "the window ends with the text");
});

test("the kind's own fields are indexed: a guide's materials", async () => {
  const found = titles(await search("证据材料"));
  assert.ok(found.includes("申请法律援助"), found.join());
});

test("results can be limited to one kind", async () => {
  const all = await search("法律援助");
  const guides = await search("法律援助", "办事指南");
  assert.ok(guides.length > 0 && guides.length < all.length);
  assert.ok(guides.every((r) => r.kind === "办事指南"));
});

test("theme text is not indexed", async () => {
  for (const words of ["跳到正文", "主导航", "无障碍声明", "高对比度", "没有符合条件"]) {
    assert.deepStrictEqual(await search(words), [], words);
  }
});

test("the excerpt marks the match in text pieces", async () => {
  const found = await search("赡养");
  const page = found.find((r) => r.title === "家事纠纷怎么办");
  const marked = page.excerpt.filter((p) => p.mark).map((p) => p.text);
  assert.deepStrictEqual(marked, ["赡养"]);
  assert.strictEqual(page.excerpt.map((p) => p.text).join(""), "离婚纠纷、赡养纠纷，可以先到司法所请调解员帮忙。");
});

test("a query loads only the shards of its terms", async () => {
  fetched = [];
  await search("调解");
  const shards = fetched.filter((f) => /^d\d+\./.test(f));
  assert.strictEqual(shards.length, 1, fetched.join());
  assert.ok(!fetched.some((f) => /^p\d+\./.test(f)), "no positions for a two-character word");
});
