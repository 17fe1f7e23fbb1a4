'use strict';
// The directory filter (筛选): typing a township name narrows the list to that township's
// entries; clearing it shows every entry again; ?q= pre-fills it.
const test = require('node:test');
const assert = require('node:assert/strict');
const { useSuite, watch } = require('../lib/browser');

const ctx = useSuite();
const TOWNSHIP = '水头镇';

function visibleRows() {
  return [...document.querySelectorAll('tr[data-search]')]
    .filter((tr) => tr.offsetParent !== null)
    .map((tr) => tr.innerText.replace(/\s+/g, ' '));
}

test(`typing ${TOWNSHIP} into 筛选 on /sfj/directory/offices/ narrows the list`, async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url('directory/offices/'));
    const all = await page.evaluate(visibleRows);
    assert.ok(all.length > 3, `the list starts with every entry (${all.length})`);
    const box = page.getByLabel('筛选');
    await box.fill(TOWNSHIP);
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-search]:not([hidden])').length < n, all.length);
    const some = await page.evaluate(visibleRows);
    assert.ok(some.length >= 1 && some.length < all.length, `narrowed from ${all.length} to ${some.length}`);
    for (const row of some) assert.ok(row.includes('水头'), `a row that does not mention 水头: ${row}`);
    const status = await page.getByRole('status').innerText();
    assert.match(status, new RegExp(`找到 ${some.length} 条`), `the status line tells the count: ${status}`);
    await box.fill('');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-search]:not([hidden])').length === n, all.length);
    await box.fill('没有这个地方');
    assert.ok(await page.locator('#directory-filter-empty').isVisible(), 'a message when nothing matches');
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
});

test('?q= in the address pre-fills the filter', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(`${ctx.url('directory/offices/')}?q=${encodeURIComponent(TOWNSHIP)}`);
    assert.equal(await page.getByLabel('筛选').inputValue(), TOWNSHIP);
    const rows = await page.evaluate(visibleRows);
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.ok(row.includes('水头'), row);
  } finally {
    await context.close();
  }
});
