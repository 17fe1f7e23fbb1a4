'use strict';
// With JavaScript off every page is fully readable at the default size, and the controls that
// need JavaScript (font and contrast switchers, directory filter, print button) are hidden.
const test = require('node:test');
const assert = require('node:assert/strict');
const { useSuite, samplePages, watch, offHost } = require('../lib/browser');

const ctx = useSuite();

test('pages are readable with JavaScript disabled; the switchers are hidden', async (t) => {
  const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  try {
    const pages = [...samplePages(ctx), { name: 'route sign', path: signPath() }];
    for (const p of pages) {
      await t.test(`${p.name} (/sfj/${p.path})`, async () => {
        const page = await context.newPage();
        const log = await watch(page);
        await page.goto(ctx.url(p.path));
        const h1 = page.locator('h1');
        assert.ok(await h1.isVisible(), 'the <h1> is visible');
        const main = page.locator('main');
        const text = (await main.innerText()).trim();
        assert.ok(text.length > 40, `main has readable text (${text.length} characters)`);
        for (const sel of ['#reading-tools', '#directory-filter', '[data-print]', '[data-font]', '[data-contrast]']) {
          const n = await page.locator(sel).count();
          for (let i = 0; i < n; i++) {
            assert.equal(await page.locator(sel).nth(i).isVisible(), false, `${sel} is hidden without JavaScript`);
          }
        }
        const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
        assert.ok(fontSize >= 18, `default body text ${fontSize}px`);
        assert.deepEqual(offHost(log, ctx.origin), [], 'no request leaves 127.0.0.1');
        await page.close();
      });
    }
  } finally {
    await context.close();
  }
});

function signPath() {
  const stop = samplePages(ctx).find((p) => p.name === 'route stop').path;
  return `${stop}sign/`;
}
