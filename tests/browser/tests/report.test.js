'use strict';
// The build report for people: screenshots of the home page at 320 px and 1280 px in both
// colour modes, and the page weight (HTML + CSS + JS, before search is used) of a guide page
// (which must stay under 60 KB) and of one sample page of each kind. Written to
// target/browser-report/ (home-320-normal.png …, page-weight.txt).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { useSuite, samplePages, reportDir } = require('../lib/browser');

const ctx = useSuite();
const LIMIT = 60 * 1024;

test('screenshots of the home page at 320 and 1280 px, normal and high contrast', async () => {
  const dir = reportDir();
  for (const width of [320, 1280]) {
    for (const mode of ['normal', 'high-contrast']) {
      const context = await ctx.browser.newContext({ viewport: { width, height: width === 320 ? 640 : 900 } });
      if (mode === 'high-contrast') await context.addInitScript(() => localStorage.setItem('pufa-contrast', 'high'));
      const page = await context.newPage();
      await page.goto(ctx.url(''));
      await page.waitForLoadState('networkidle');
      const file = path.join(dir, `home-${width}-${mode}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 1000, file);
      await context.close();
    }
  }
});

/** Bytes of the HTML, CSS and JS a page loads (as files, and gzip-compressed). */
async function weigh(relPath) {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const files = [];
  page.on('response', async (res) => {
    const type = res.request().resourceType();
    if (['document', 'stylesheet', 'script'].includes(type)) files.push(res);
  });
  await page.goto(ctx.url(relPath));
  await page.waitForLoadState('networkidle');
  let raw = 0;
  let gz = 0;
  const parts = [];
  for (const res of files) {
    const body = await res.body();
    raw += body.length;
    gz += zlib.gzipSync(body, { level: 6 }).length;
    parts.push(`${new URL(res.url()).pathname} ${body.length}`);
  }
  await context.close();
  return { path: relPath, raw, gz, parts };
}

test('page weight: HTML + CSS + JS before search is used', async (t) => {
  const lines = [];
  const measured = [];
  for (const p of samplePages(ctx)) measured.push({ name: p.name, ...(await weigh(p.path)) });
  for (const m of measured) {
    lines.push(`${m.name.padEnd(14)} /sfj/${m.path}  ${(m.raw / 1024).toFixed(1)} KB (gzip ${(m.gz / 1024).toFixed(1)} KB)  [${m.parts.join(', ')}]`);
  }
  const text = `Page weight, HTML + CSS + JS as served, before search is used (limit for a guide page: 60 KB)\n${lines.join('\n')}\n`;
  fs.writeFileSync(path.join(reportDir(), 'page-weight.txt'), text);
  for (const line of text.trim().split('\n')) t.diagnostic(line);
  const g = measured.find((m) => m.name === 'guide');
  assert.ok(g, 'a guide page was weighed');
  assert.ok(g.raw > 0 && g.parts.length > 0, `the guide page /sfj/${g.path} loaded nothing`);
  assert.ok(g.raw < LIMIT, `the guide page /sfj/${g.path} weighs ${g.raw} bytes, over 60 KB`);
  // Every page the citizens are sent to most (home, news, stop) stays under the limit too.
  for (const m of measured.filter((x) => ['home', 'news', 'route stop'].includes(x.name))) {
    assert.ok(m.raw < LIMIT, `${m.name} weighs ${m.raw} bytes, over 60 KB`);
  }
});
