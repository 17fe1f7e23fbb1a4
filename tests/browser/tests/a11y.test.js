'use strict';
// WCAG 2.1 AA with axe-core on the home page and one page of each kind, in the normal and in
// the high-contrast colour mode, at 1280 and 390 px, in 中 and 大; on each load also: nothing requested from another host, no
// console error, no CSP violation, one <h1>, the skip link and the landmarks.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite, samplePages, watch, offHost } = require('../lib/browser');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ctx = useSuite();

/** Runs axe in the page (injected through the DevTools protocol, which CSP does not govern). */
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, TAGS);
}

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

const SIZES = [
  { width: 1280, height: 900, font: 'medium' },
  { width: 1280, height: 900, font: 'large' },
  { width: 390, height: 844, font: 'medium' },
  { width: 390, height: 844, font: 'large' },
];

for (const mode of ['normal', 'high-contrast']) for (const size of SIZES) {
  test(`axe, requests and console on each kind of page — ${mode}, ${size.width} px, ${size.font === 'large' ? '大' : '中'}`, async (t) => {
    for (const p of [...samplePages(ctx), { name: 'not found', path: '404.html' }, { name: 'directory index', path: 'directory/' }]) {
      await t.test(`${p.name} (/sfj/${p.path})`, async () => {
        const context = await ctx.browser.newContext({ viewport: { width: size.width, height: size.height } });
        if (size.font === 'large') await context.addInitScript(() => localStorage.setItem('pufa-font', 'large'));
        const page = await context.newPage();
        const log = await watch(page);
        try {
          const res = await page.goto(ctx.url(p.path), { waitUntil: 'load' });
          assert.equal(res.status(), 200, `HTTP ${res.status()}`);
          if (mode === 'high-contrast') {
            await page.locator('summary', { hasText: '阅读设置' }).click();
            await page.getByRole('button', { name: '高对比度' }).click();
            assert.ok(await page.evaluate(() => document.documentElement.classList.contains('contrast-high')),
              'the 高对比度 button turns high contrast on');
          }
          const violations = await axe(page);
          assert.equal(violations.length, 0, `axe found:\n${describe(violations)}`);

          const structure = await page.evaluate(() => ({
            h1: document.querySelectorAll('h1').length,
            main: document.querySelectorAll('main').length,
            banner: document.querySelectorAll('body > header').length,
            contentinfo: document.querySelectorAll('body > footer').length,
            skip: (() => {
              const a = document.querySelector('body > a.skip-link, body > a[href="#main"]');
              return a && document.getElementById(a.getAttribute('href').slice(1)) ? a.textContent : null;
            })(),
            accessibility: !!document.querySelector('footer a[href$="/accessibility/"]'),
          }));
          assert.equal(structure.h1, 1, 'exactly one <h1>');
          assert.equal(structure.main, 1, 'one <main>');
          assert.equal(structure.banner, 1, 'a page header (banner)');
          assert.equal(structure.contentinfo, 1, 'a page footer (contentinfo)');
          assert.ok(structure.skip, 'a skip link as the first thing in <body>, pointing at <main>');
          assert.ok(structure.accessibility, 'the footer links to the accessibility statement');

          await page.waitForLoadState('networkidle');
          assert.deepEqual(offHost(log, ctx.origin), [], 'no request leaves 127.0.0.1');
          assert.deepEqual(log.errors, [], 'no console error, exception or CSP violation');
        } finally {
          await context.close();
        }
      });
    }
  });
}

test('a guide page is among the pages checked', () => {
  const guide = samplePages(ctx).find((p) => p.name === 'guide');
  assert.ok(guide, 'samplePages lists a guide page');
  assert.match(guide.path, /^guides\/[^/]+\/$/, 'the guide page is a page under /sfj/guides/');
  const html = fs.readFileSync(path.join(ctx.siteDir, guide.path, 'index.html'), 'utf8');
  assert.match(html, /class="guide-summary"/, `/sfj/${guide.path} is drawn by the guides kind (its summary box)`);
});
