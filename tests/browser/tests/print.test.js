'use strict';
// Printing: a route sign fits one A4 sheet; a report, a stop and a directory page print
// without the site's navigation and tools, and write the address after each link. The PDFs
// go to the report folder (target/browser-report/print-*.pdf) for a person to look at.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite, samplePages, reportDir } = require('../lib/browser');

const ctx = useSuite();

/** Page count of a PDF written by Chromium (one /Type /Page object per sheet). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

function pathOf(name) {
  return samplePages(ctx).find((p) => p.name === name).path;
}

test('a route sign prints on exactly one A4 sheet', async () => {
  const context = await ctx.browser.newContext();
  try {
    const page = await context.newPage();
    const sign = `${pathOf('route stop')}sign/`;
    const res = await page.goto(ctx.url(sign));
    assert.equal(res.status(), 200, `/sfj/${sign}`);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(path.join(reportDir(), 'print-sign.pdf'), pdf);
    assert.equal(pdfPages(pdf), 1, 'the sign fills one sheet, not more');
  } finally {
    await context.close();
  }
});

for (const name of ['report', 'route stop', 'directory', 'news']) {
  test(`print: ${name} without navigation, with link addresses written out`, async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(ctx.url(pathOf(name)));
      // The width of an A4 sheet inside 15 mm margins: 180 mm at 96 px per inch.
      await page.setViewportSize({ width: 680, height: 960 });
      await page.emulateMedia({ media: 'print' });
      const r = await page.evaluate(() => {
        const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        const hiddenOk = ['.site-nav', '#reading-tools', '.breadcrumbs', '.skip-link', '.footer-links']
          .filter((s) => document.querySelector(s)).map((s) => [s, shown(document.querySelector(s))]);
        // Links in main to other sites: the printed page must say where they lead, with the
        // whole address; links inside the site print no path (a bare path leads nowhere on paper).
        const links = [...document.querySelectorAll('main a[href]')].filter((a) => shown(a)
          && !/^(#|tel:|mailto:|javascript:)/.test(a.getAttribute('href')));
        const afterOf = (a) => {
          const after = getComputedStyle(a, '::after').content;
          return after && after !== 'none' && after !== 'normal' ? after : '';
        };
        const external = links.filter((a) => /^https?:/.test(a.getAttribute('href')));
        const unexplained = external.filter((a) => !afterOf(a).includes(a.getAttribute('href')) && !a.textContent.includes(a.href))
          .map((a) => `${a.textContent.trim().slice(0, 20)} → ${a.getAttribute('href')}`);
        const relativePrinted = links.filter((a) => !/^https?:/.test(a.getAttribute('href')) && afterOf(a).includes(a.getAttribute('href')))
          .map((a) => a.getAttribute('href'));
        // A heading whose section is not printed would stand alone.
        const orphans = [...document.querySelectorAll('main h2, main h3')].filter((h) => shown(h))
          .filter((h) => {
            let n = h.nextElementSibling;
            while (n && !shown(n)) n = n.nextElementSibling;
            return !n && !(h.parentElement.tagName === 'HEADER');
          }).map((h) => h.textContent.trim());
        // Text sticking out of a table cell (a long phone number, say).
        const stickOut = [];
        for (const cell of document.querySelectorAll('main td, main th')) {
          const box = cell.getBoundingClientRect();
          for (const el of cell.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > box.right + 1) stickOut.push(`${el.textContent.trim().slice(0, 20)} (${Math.round(r.right - box.right)}px)`);
          }
        }
        // A written-out address is broken across lines only at / or -, never mid-word.
        const cutUrls = [];
        for (const a of external.filter((x) => afterOf(x))) {
          const after = getComputedStyle(a, '::after');
          if (after.display !== 'inline-block' && after.display !== 'block') cutUrls.push(`${a.getAttribute('href')} (${after.display})`);
          if (after.overflowWrap === 'anywhere' || after.wordBreak === 'break-all') cutUrls.push(a.getAttribute('href'));
        }
        return { hiddenOk, unexplained, relativePrinted, cutUrls, orphans, stickOut, width: document.documentElement.scrollWidth };
      });
      for (const [sel, isShown] of r.hiddenOk) assert.equal(isShown, false, `${sel} is not printed`);
      assert.deepEqual(r.unexplained, [], 'printed links to other sites without their address');
      assert.deepEqual(r.relativePrinted, [], 'site-relative paths printed after links');
      assert.deepEqual(r.cutUrls, [], 'printed addresses that may be cut mid-word');
      assert.deepEqual(r.orphans, [], 'printed headings with nothing printed under them');
      assert.deepEqual(r.stickOut, [], 'text sticking out of table cells on paper');
      assert.ok(r.width <= 680, `the printed page is ${r.width}px wide, wider than the sheet`);
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      const file = `print-${name.replace(/\s+/g, '-')}.pdf`;
      fs.writeFileSync(path.join(reportDir(), file), pdf);
      assert.ok(pdfPages(pdf) >= 1);
    } finally {
      await context.close();
    }
  });
}
