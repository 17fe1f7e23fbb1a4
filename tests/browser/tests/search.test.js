'use strict';
// Chinese search (issue 7 part 5): `pufa build` writes a Pagefind index under /sfj/pagefind/
// and a /search/ page with our own script. Pagefind runs WebAssembly, which the CSP allows
// through script-src 'wasm-unsafe-eval' (WebAssembly compilation only, no JavaScript eval).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite, watch, offHost } = require('../lib/browser');

const ctx = useSuite();
const NOT_BUILT = 'search not built yet: /sfj/search/ is missing from the build (issue 7 part 5)';

// query → a part of the URL (under /sfj/) of a page that must be among the results.
// Adjust to the final content: add the guide pages and a counsel's name once they exist.
const EXPECTED = {
  法律援助: ['guides/legal-aid/', 'news/2024-12-27-legal-aid/'],
  援助: ['guides/legal-aid/'],
  复议: ['guides/administrative-reconsideration/', 'news/2024-12-28-administrative-reconsideration/'],
  调解: ['guides/people-mediation/', 'news/2024-12-26-mediation/'],
  水头: ['route/05-shuitou-village/', 'directory/offices/'],
  李明远: ['directory/counsels/'],
};

function searchBuilt() {
  return fs.existsSync(path.join(ctx.siteDir, 'search', 'index.html'));
}

test('the /search/ page has a labelled search box and works under the CSP', async (t) => {
  if (!searchBuilt()) return t.skip(NOT_BUILT);
  const context = await ctx.browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url('search/'));
    const box = page.getByRole('searchbox').first();
    assert.ok(await box.isVisible(), 'a search box');
    assert.ok((await box.evaluate((el) => (el.labels && el.labels.length) || el.getAttribute('aria-label'))), 'the box has a label');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(offHost(log, ctx.origin), []);
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
});

for (const [query, expected] of Object.entries(EXPECTED)) {
  test(`search ${query} finds ${expected.join(', ')}`, async (t) => {
    if (!searchBuilt()) return t.skip(NOT_BUILT);
    const context = await ctx.browser.newContext();
    try {
      const page = await context.newPage();
      const log = await watch(page);
      await page.goto(ctx.url('search/'));
      const urls = await page.evaluate(async ({ q, bundle }) => {
        const pagefind = await import(bundle);
        if (pagefind.init) await pagefind.init();
        const r = await pagefind.search(q);
        const data = await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
        return data.map((d) => d.url);
      }, { q: query, bundle: ctx.url('pagefind/pagefind.js') });
      for (const want of expected) {
        assert.ok(urls.some((u) => decodeURI(u).includes(want)), `${query}: ${want} not among ${urls.join(', ')}`);
      }
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the search page shows results with their kind as a citizen types a query', async (t) => {
  if (!searchBuilt()) return t.skip(NOT_BUILT);
  const context = await ctx.browser.newContext();
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url('search/?q=' + encodeURIComponent('法律援助')));
    await page.locator('#search-results li').first().waitFor({ timeout: 15000 });
    const first = await page.locator('#search-results li').evaluateAll((items) =>
      items.map((li) => ({ href: li.querySelector('a').getAttribute('href'), kind: (li.querySelector('.result-kind') || {}).textContent })));
    assert.ok(first.some((r) => r.href.includes('/sfj/guides/legal-aid/') && r.kind === '办事指南'), JSON.stringify(first));
    assert.match(await page.locator('#search-status').textContent(), /找到 \d+ 条结果/);
    await page.fill('#search-q', '复议');
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('#search-results a')].some((a) => a.href.includes('administrative-reconsideration')));
    assert.deepEqual(offHost(log, ctx.origin), []);
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
});
