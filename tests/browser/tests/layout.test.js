'use strict';
// A 320 px wide phone: no horizontal scrolling on any kind of page, at the default text size
// and with 【字体：大】; touch targets of at least 44 px; a visible keyboard focus.
const test = require('node:test');
const assert = require('node:assert/strict');
const { useSuite, samplePages } = require('../lib/browser');

const ctx = useSuite();

/** Elements wider than the viewport or sticking out of it, to say what overflows. */
function overflowReport() {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5) && getComputedStyle(el).position !== 'absolute') {
      const parentOverflows = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5;
      if (!parentOverflows) out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''} right=${Math.round(r.right)}`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, culprits: out.slice(0, 8) };
}

for (const font of ['medium', 'large']) {
  test(`no horizontal overflow at 320 px — font ${font}`, async (t) => {
    const context = await ctx.browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 });
    if (font === 'large') await context.addInitScript(() => localStorage.setItem('pufa-font', 'large'));
    try {
      for (const p of samplePages(ctx)) {
        await t.test(`${p.name} (/sfj/${p.path})`, async () => {
          const page = await context.newPage();
          await page.goto(ctx.url(p.path));
          const r = await page.evaluate(overflowReport);
          assert.ok(r.scrollWidth <= 320, `scrollWidth ${r.scrollWidth} > 320; widest: ${r.culprits.join(', ')}`);
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  });
}

test('controls and links that stand on their own are at least 44 × 44 px (phone and desktop)', async (t) => {
  for (const width of [320, 1280]) {
    const context = await ctx.browser.newContext({ viewport: { width, height: 800 } });
    try {
      for (const p of samplePages(ctx)) {
        await t.test(`${p.name} at ${width} px`, async () => {
          const page = await context.newPage();
          await page.goto(ctx.url(p.path));
          const small = await page.evaluate(() => {
            // Controls, and links that stand on their own: in the header, navigation and
            // footer, or alone in their block (a link inside a sentence is exempt, as in
            // WCAG 2.5.5 and 2.5.8).
            const standalone = (a) => {
              if (a.closest('header, nav, footer')) return true;
              const block = a.closest('p, li, dd, dt, td, th, figcaption, div, h2, h3');
              if (!block) return true;
              let rest = block.textContent;
              for (const l of block.querySelectorAll('a')) rest = rest.replace(l.textContent, '');
              return rest.replace(/[\s·、，,|｜:：]/g, '') === '';
            };
            const out = [];
            for (const el of document.querySelectorAll('button, input, select, textarea, a[href]')) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) continue; // not shown
              if (el.tagName === 'A' && !standalone(el)) continue;
              if (r.height < 43.5 || r.width < 43.5) out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
            }
            return out;
          });
          assert.deepEqual(small, [], 'touch targets smaller than 44 px');
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  }
});

test('keyboard: the skip link comes first, is visible when focused and moves to <main>; focus is always visible', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(ctx.url('route/'));
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { text: el.textContent.trim(), href: el.getAttribute('href'), top: r.top, bottom: r.bottom };
    });
    assert.equal(skip.text, '跳到正文');
    assert.ok(skip.top >= 0 && skip.bottom <= 900, `skip link visible when focused (top ${skip.top})`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => location.hash), '#main');
    // Tab through the first controls of the page: each shows a focus indicator.
    await page.goto(ctx.url('route/'));
    const seen = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return {
          what: `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 16)}"`,
          visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
        };
      });
      seen.push(f);
    }
    const invisible = seen.filter((f) => !f.visible).map((f) => f.what);
    assert.deepEqual(invisible, [], 'focused elements without a visible focus indicator');
  } finally {
    await context.close();
  }
});
