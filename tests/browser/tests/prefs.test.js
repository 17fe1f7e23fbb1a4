'use strict';
// The elder-friendly reading tools: 【字体：大 中 小】 and 高对比度. 大 sets body text of at
// least 18 pt (24 px) with a line height of at least 1.5; both choices are kept in
// localStorage, survive navigation and are applied before the page is first painted.
const test = require('node:test');
const assert = require('node:assert/strict');
const { useSuite, openReadingSettings } = require('../lib/browser');

const ctx = useSuite();

/** Body text size and line height of the page's first paragraph of running text. */
function textMetrics() {
  const p = document.querySelector('main .prose p') || document.querySelector('main p');
  const s = getComputedStyle(p);
  return { fontSize: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize) };
}

/**
 * Runs in the page before its own scripts: notes the classes on <html> at the moment the
 * parser creates <body>, i.e. before anything of the page can have been painted.
 */
function recordClassesAtBody() {
  window.__classesAtBody = null;
  new MutationObserver((records, observer) => {
    if (document.body) {
      window.__classesAtBody = document.documentElement.className;
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

test('字体：大 enlarges body text to ≥ 24 px (18 pt) with line height ≥ 1.5, and 中/小 go back', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(ctx.url('about/'));
    await openReadingSettings(page);
    const tools = page.getByRole('group', { name: '字体大小' });
    const medium = await page.evaluate(textMetrics);
    assert.ok(medium.lineHeight >= 1.5, `line height ${medium.lineHeight} at 中`);
    await tools.getByRole('button', { name: /^字体\s*大$/ }).click();
    const large = await page.evaluate(textMetrics);
    assert.ok(large.fontSize >= 24, `大: body text ${large.fontSize}px, want ≥ 24px (18 pt)`);
    assert.ok(large.lineHeight >= 1.5, `大: line height ${large.lineHeight}, want ≥ 1.5`);
    assert.ok(large.fontSize > medium.fontSize, '大 is larger than 中');
    assert.equal(await tools.getByRole('button', { name: /^字体\s*大$/ }).getAttribute('aria-pressed'), 'true');
    await tools.getByRole('button', { name: /^字体\s*小$/ }).click();
    const small = await page.evaluate(textMetrics);
    assert.ok(small.fontSize < medium.fontSize && small.fontSize >= 16, `小: ${small.fontSize}px`);
    await tools.getByRole('button', { name: /^字体\s*中$/ }).click();
    assert.equal((await page.evaluate(textMetrics)).fontSize, medium.fontSize, '中 is the default size again');
    assert.equal(await page.evaluate(() => localStorage.getItem('pufa-font')), null, '中 clears the saved choice');
  } finally {
    await context.close();
  }
});

test('the font and contrast choices survive navigation and apply before first paint', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(recordClassesAtBody);
  try {
    const page = await context.newPage();
    await page.goto(ctx.url(''));
    await openReadingSettings(page);
    await page.getByRole('button', { name: /^字体\s*大$/ }).click();
    await page.getByRole('button', { name: '高对比度' }).click();
    // Follow a real link to another page, as a reader would.
    await Promise.all([page.waitForNavigation(), page.locator('nav.site-nav a').first().click()]);
    assert.notEqual(page.url(), ctx.url(''), 'moved to another page');
    const state = await page.evaluate(() => ({
      atBody: window.__classesAtBody,
      large: document.querySelector('[data-font="large"]').getAttribute('aria-pressed'),
      contrast: document.querySelector('[data-contrast]').getAttribute('aria-pressed'),
      bg: getComputedStyle(document.body).backgroundColor,
    }));
    assert.match(state.atBody || '', /\bfont-large\b/, 'font-large is on <html> before <body> exists');
    assert.match(state.atBody || '', /\bcontrast-high\b/, 'contrast-high is on <html> before <body> exists');
    assert.equal(state.large, 'true', 'the 大 button shows it is selected');
    assert.equal(state.contrast, 'true', 'the 高对比度 button shows it is on');
    assert.equal(state.bg, 'rgb(0, 0, 0)', 'high contrast: black background');
    const m = await page.evaluate(textMetrics);
    assert.ok(m.fontSize >= 24, `after navigation: ${m.fontSize}px`);
    // And a fresh tab of the same browser profile (a later visit) too.
    const later = await context.newPage();
    await later.goto(ctx.url('news/'));
    assert.match(await later.evaluate(() => window.__classesAtBody || ''), /font-large.*contrast-high|contrast-high.*font-large/);
    // Turning high contrast off is remembered as well.
    await openReadingSettings(later);
    await later.getByRole('button', { name: '高对比度' }).click();
    await later.reload();
    assert.doesNotMatch(await later.evaluate(() => window.__classesAtBody || ''), /contrast-high/);
  } finally {
    await context.close();
  }
});

test('the first paint already has the saved size: no flash of the default size', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => { localStorage.setItem('pufa-font', 'large'); });
  try {
    const page = await context.newPage();
    // A plain <script src> in <head> runs before the parser reaches <body>: nothing of the
    // page can be painted before it has set the classes.
    await page.goto(ctx.url('about/'));
    const r = await page.evaluate(() => {
      const headScripts = [...document.head.querySelectorAll('script')];
      const prefs = headScripts.find((s) => /\/prefs\.([0-9a-f]+\.)?js$/.test(s.src));
      return {
        prefsBlocking: !!prefs && !prefs.defer && !prefs.async && prefs.type !== 'module',
        html: document.documentElement.className,
      };
    });
    assert.ok(r.prefsBlocking, 'js/prefs.js is a plain (render-blocking) script in <head>');
    assert.match(r.html, /font-large/);
  } finally {
    await context.close();
  }
});
