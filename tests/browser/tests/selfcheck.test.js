'use strict';
// The legal-aid guide's self-check (/sfj/guides/legal-aid/check/) and application form
// (/sfj/guides/legal-aid/apply/). The check is walked along two paths to two different
// outcomes, once with JavaScript (step by step, 返回上一步, progress line) and once without
// (plain links, one question shown at a time by :target), with a log of every request made
// after the page loaded: answering must make none, and leave no cookie or stored value. The
// form is printed to PDF blank and filled in (page count, the typed name among the PDF's
// glyphs, hints that help but never print). axe on both pages, with and without JavaScript,
// in both colour modes. Screenshots and PDFs land in the report folder.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { useSuite, watch, offHost, reportDir, openReadingSettings } = require('../lib/browser');

const ctx = useSuite();
const CHECK = 'guides/legal-aid/check/';
const APPLY = 'guides/legal-aid/apply/';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Two paths through the sample tree, to two different outcomes, each naming its article. */
const PATHS = [
  {
    name: 'a migrant worker owed wages',
    answers: ['讨工钱、要赡养费或抚养费、要求赔偿等民事、行政方面的事情', '都不是',
      '讨要工资（劳动报酬）、确认劳动关系，或者工伤赔偿', '是'],
    outcome: '您可以申请法律援助，而且不用再核查经济困难状况',
    verdict: '很可能符合',
    basis: '第四十二条',
  },
  {
    name: 'a minor accused of a crime',
    answers: ['我本人或者家人被公安、检察院、法院追究刑事责任', '未满 18 周岁的未成年人'],
    outcome: '办案机关应当通知法律援助机构，为他指派辩护律师',
    verdict: '很可能符合',
    basis: '第二十五条',
  },
];

async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`);
  }, TAGS);
}

/** The ids of the self-check steps the reader can see. */
function shownSteps(page) {
  return page.evaluate(() => [...document.querySelectorAll('.sc-step')]
    .filter((s) => s.getClientRects().length > 0).map((s) => s.id));
}

/**
 * Every request from now on (the page has loaded: answering must fetch nothing). Chromium
 * fetches the page's own favicon again on each same-page link (#q-2, …) it follows: that
 * request carries nothing of the answers (a link's #part never leaves the browser), so it
 * is left out here, and only it.
 */
function requestsFromNow(page) {
  const urls = [];
  page.on('request', (r) => {
    if (!/\/sfj\/favicon\.[0-9a-f]{8}\.svg$/.test(r.url())) urls.push(`${r.method()} ${r.url()}`);
  });
  return urls;
}

async function openCheck(context) {
  const page = await context.newPage();
  const log = await watch(page);
  const res = await page.goto(ctx.url(CHECK), { waitUntil: 'networkidle' });
  assert.equal(res.status(), 200, `/sfj/${CHECK}`);
  return { page, log };
}

async function answer(page, text) {
  await page.getByRole('link', { name: text, exact: true }).click();
}

async function nothingKept(context, page) {
  assert.deepEqual(await context.cookies(), [], 'no cookie');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(stored, 0, 'nothing in localStorage or sessionStorage');
}

for (const p of PATHS) {
  test(`self-check with JavaScript: ${p.name} → ${p.verdict}`, async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const { page, log } = await openCheck(context);
      const after = requestsFromNow(page);
      assert.deepEqual(await shownSteps(page), ['q-1'], 'one question at a time, the first to begin');
      const progress = page.locator('#sc-progress');
      assert.match(await progress.innerText(), /^第 1 题，最多还有 \d 题。$/);
      assert.equal(await page.locator('#sc-back').isVisible(), false, 'nothing to go back to yet');
      const seen = [];
      for (const [i, text] of p.answers.entries()) {
        seen.push((await shownSteps(page))[0]);
        await answer(page, text);
        const shown = await shownSteps(page);
        assert.equal(shown.length, 1, `one step shown after answer ${i + 1}: ${shown}`);
        const focused = await page.evaluate(() => document.activeElement.closest('.sc-step') && document.activeElement.tagName);
        assert.equal(focused, 'H2', 'focus moves to the new step\'s heading for screen readers');
        if (i < p.answers.length - 1) assert.match(await progress.innerText(), new RegExp(`^第 ${i + 2} 题`));
      }
      const outcome = page.locator('.sc-outcome:visible');
      assert.equal(await outcome.count(), 1);
      assert.ok((await outcome.innerText()).includes(p.outcome), 'the expected outcome');
      assert.ok((await outcome.innerText()).includes(p.verdict));
      assert.ok((await outcome.innerText()).includes(p.basis), `the outcome names ${p.basis}`);
      assert.equal(await progress.innerText(), `已回答 ${p.answers.length} 题，下面是测评结果。`);

      await page.getByRole('button', { name: '返回上一步' }).click();
      assert.deepEqual(await shownSteps(page), [seen[seen.length - 1]], '返回上一步 shows the last question again');
      await answer(page, p.answers[p.answers.length - 1]);
      assert.ok((await page.locator('.sc-outcome:visible').innerText()).includes(p.outcome));

      await page.getByText('水头镇', { exact: true }).click();
      assert.ok(await page.getByText('水头司法所').first().isVisible(), 'the township picked shows its 司法所');
      assert.equal(new URL(page.url()).hash, '', 'the answers are not written into the address');
      await page.screenshot({ path: path.join(reportDir(), `selfcheck-js-${PATHS.indexOf(p) + 1}.png`), fullPage: true });
      assert.deepEqual(after, [], 'no request while answering');
      await nothingKept(context, page);
      assert.deepEqual(offHost(log, ctx.origin), []);
      assert.deepEqual(log.errors, [], 'no console error or CSP violation');
    } finally {
      await context.close();
    }
  });

  test(`self-check without JavaScript: ${p.name} → ${p.verdict}`, async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const { page, log } = await openCheck(context);
      const after = requestsFromNow(page);
      assert.deepEqual(await shownSteps(page), ['q-1'], 'the first question, alone');
      assert.equal(await page.locator('.sc-towns').isVisible(), false, 'townships wait for a result');
      for (const text of p.answers) {
        await answer(page, text);
        const shown = await shownSteps(page);
        assert.equal(shown.length, 1, `one step shown: ${shown}`);
        assert.equal(new URL(page.url()).hash, `#${shown[0]}`, 'each answer is a plain link to the next step');
      }
      const outcome = page.locator('.sc-outcome:visible');
      assert.ok((await outcome.innerText()).includes(p.outcome), 'the expected outcome');
      assert.ok((await outcome.innerText()).includes(p.basis));
      await page.getByText('水头镇', { exact: true }).click();
      assert.ok(await page.getByText('水头司法所').first().isVisible(), 'details/summary needs no script');
      await page.screenshot({ path: path.join(reportDir(), `selfcheck-nojs-${PATHS.indexOf(p) + 1}.png`), fullPage: true });
      await page.getByRole('link', { name: '重新测评' }).click();
      assert.deepEqual(await shownSteps(page), ['q-1'], '重新测评 leads back to the first question');
      assert.deepEqual(after, [], 'no request while answering');
      await nothingKept(context, page);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });
}

test('self-check by keyboard alone: Tab to an answer, Enter, Shift+Tab to 返回上一步', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const { page } = await openCheck(context);
    let label = '';
    for (let i = 0; i < 40 && label !== PATHS[1].answers[0]; i++) {
      await page.keyboard.press('Tab');
      label = await page.evaluate(() => document.activeElement.textContent.trim());
    }
    assert.equal(label, PATHS[1].answers[0], 'the answers are reached with Tab');
    await page.keyboard.press('Enter');
    assert.deepEqual(await shownSteps(page), ['q-6']);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), PATHS[1].answers[1],
      'from the new heading, Tab reaches its first answer');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sc-back', 'Shift+Tab reaches 返回上一步');
    await page.keyboard.press('Enter');
    assert.deepEqual(await shownSteps(page), ['q-1']);
  } finally {
    await context.close();
  }
});

// axe runs on timers, which never fire in a page with JavaScript switched off: "without
// JavaScript" here is a page whose own scripts are refused, so it renders as it would with
// JavaScript off while axe can still run.
for (const [name, js, contrast] of [['with JavaScript', true, false], ['with JavaScript, high contrast', true, true], ['without JavaScript', false, false]]) {
  test(`axe: self-check and application ${name}`, { timeout: 120000 }, async (t) => {
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (!js) await context.route(/\.js$/, (route) => route.abort());
    try {
      for (const [label, where, walk] of [['check, first question', CHECK, []], ['check, an outcome', CHECK, PATHS[0].answers], ['application', APPLY, []]]) {
        await t.test(label, async () => {
          const page = await context.newPage();
          const log = await watch(page);
          await page.goto(ctx.url(where), { waitUntil: 'networkidle' });
          if (!js) {
            assert.equal(await page.evaluate(() => document.querySelector('#sc-steps.sc-js, [data-print]:not([hidden])')), null,
              'none of the page\'s scripts ran');
            log.errors = log.errors.filter((e) => !/\.js\b/.test(e));
          }
          if (contrast) {
            await openReadingSettings(page);
            await page.getByRole('button', { name: '高对比度' }).click();
          }
          for (const text of walk) await answer(page, text);
          if (walk.length) await page.getByText('瑶峰镇', { exact: true }).click();
          const violations = await axe(page);
          assert.deepEqual(violations, [], `axe found:\n${violations.join('\n')}`);
          assert.equal(await page.locator('h1').count(), 1);
          assert.deepEqual(log.errors, [], 'no console error or CSP violation');
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  });
}

/** Page count of a PDF written by Chromium. */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

/** Every character the PDF draws, from its fonts' ToUnicode maps (streams are deflated). */
function pdfCharacters(buf) {
  const text = buf.toString('latin1');
  const chars = new Set();
  const stream = /<<([^]*?)>>\s*stream\r?\n/g;
  let m;
  while ((m = stream.exec(text))) {
    const length = Number((/\/Length (\d+)/.exec(m[1]) || [])[1]);
    const start = m.index + m[0].length;
    let body;
    try { body = zlib.inflateSync(buf.subarray(start, start + length)).toString('latin1'); } catch { continue; }
    if (!body.includes('begincmap')) continue;
    const cp = (hex) => String.fromCodePoint(...(hex.match(/.{4}/g) || []).map((h) => parseInt(h, 16)));
    for (const b of body.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
      for (const pair of b[1].matchAll(/<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>/g)) chars.add(cp(pair[1]));
    }
    for (const b of body.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
      for (const r of b[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const first = parseInt(r[3], 16);
        for (let i = 0; i <= parseInt(r[2], 16) - parseInt(r[1], 16); i++) chars.add(String.fromCodePoint(first + i));
      }
    }
  }
  return chars;
}

async function printed(page, file) {
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  fs.writeFileSync(path.join(reportDir(), file), pdf);
  return pdf;
}

/** What the printed page shows, read with print styles applied at the sheet's width. */
function printView(page) {
  return page.evaluate(() => {
    const shown = (el) => !!el && el.getClientRects().length > 0;
    const boxes = [...document.querySelectorAll('main input[type=text], main input[type=tel], main textarea')];
    return {
      chrome: ['.site-header', '.site-footer', '.breadcrumbs', '.form-screen', '.skip-link']
        .filter((s) => shown(document.querySelector(s))),
      hints: [...document.querySelectorAll('.form-hint')].filter(shown).length,
      boxes: boxes.length,
      thin: boxes.filter((b) => {
        const s = getComputedStyle(b);
        return parseFloat(s.borderTopWidth) < 1 || s.borderTopStyle !== 'solid' || b.getBoundingClientRect().height < 30;
      }).map((b) => b.id),
      clipped: boxes.filter((b) => b.scrollHeight > b.clientHeight + 2).map((b) => b.id),
      width: document.documentElement.scrollWidth,
    };
  });
}

test('the application prints on one or two A4 sheets, blank as empty boxes and filled in with the values', { timeout: 120000 }, async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url(APPLY), { waitUntil: 'networkidle' });
    const after = requestsFromNow(page);
    const blank = await printed(page, 'apply-blank.pdf');
    assert.ok([1, 2].includes(pdfPages(blank)), `blank form: ${pdfPages(blank)} sheets`);
    assert.equal(pdfCharacters(blank).has('甄'), false, 'the typed name is not on the blank form');
    assert.ok(pdfCharacters(blank).has('姓'), 'the reader can find the labels in the PDF');

    await page.getByLabel(/^姓名/).fill('甄示例');
    const phone = page.getByLabel(/^联系电话/);
    await phone.fill('1390000');
    await phone.blur();
    const phoneHint = page.locator(`#${await phone.getAttribute('id')}-hint`);
    assert.equal(await phoneHint.innerText(), '手机号码是 11 位，您填了 7 位，请核对一下。');
    const id = page.getByLabel(/^身份证号码/);
    await id.fill('11010519491231002');
    await id.blur();
    const idHint = page.locator(`#${await id.getAttribute('id')}-hint`);
    assert.match(await idHint.innerText(), /18 位，您填了 17 位/);
    await id.fill('11010519491231002X');
    assert.equal(await idHint.innerText(), '', 'a valid number clears the hint');
    const story = '二〇二四年在县城工地打工，老板拖欠工资三个月，多次讨要未果，希望法律援助律师帮助追讨。';
    await page.getByLabel('案情概要及申请理由').fill(story.repeat(4) + '甄');
    await page.getByLabel('男', { exact: true }).check();

    const filled = await printed(page, 'apply-filled.pdf');
    assert.ok([1, 2].includes(pdfPages(filled)), `filled form: ${pdfPages(filled)} sheets`);
    const chars = pdfCharacters(filled);
    for (const c of '甄示例讨') assert.ok(chars.has(c), `typed ${c} is printed`);
    assert.equal(await phoneHint.innerText(), '手机号码是 11 位，您填了 7 位，请核对一下。', 'a hint, never a blocker: it printed anyway');

    await page.setViewportSize({ width: 680, height: 960 });
    await page.emulateMedia({ media: 'print' });
    const view = await printView(page);
    assert.deepEqual(view.chrome, [], 'no site header, footer, breadcrumbs or instructions on paper');
    assert.equal(view.hints, 0, 'hints are not printed');
    assert.ok(view.boxes >= 15, `${view.boxes} boxes`);
    assert.deepEqual(view.thin, [], 'every box prints with a solid border, tall enough to write in');
    assert.deepEqual(view.clipped, [], 'no typed text is cut off on paper');
    assert.ok(view.width <= 680, `printed width ${view.width}px`);
    await page.screenshot({ path: path.join(reportDir(), 'apply-print-view.png'), fullPage: true });
    assert.deepEqual(after, [], 'typing and printing make no request');
    await nothingKept(context, page);
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
});

test('screenshots of the check and the form at 390 and 1280 px, 中 and 大, without overflow', { timeout: 120000 }, async () => {
  for (const width of [390, 1280]) {
    for (const font of ['medium', 'large']) {
      const context = await ctx.browser.newContext({ viewport: { width, height: 900 } });
      if (font === 'large') await context.addInitScript(() => localStorage.setItem('pufa-font', 'large'));
      try {
        const page = await context.newPage();
        for (const [name, where] of [['check', CHECK], ['apply', APPLY]]) {
          await page.goto(ctx.url(where));
          if (name === 'check') for (const text of PATHS[0].answers.slice(0, 2)) await answer(page, text);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scroll <= width, `${name} at ${width} px, ${font}: scrollWidth ${scroll}`);
          await page.screenshot({ path: path.join(reportDir(), `${name}-${width}-${font}.png`) });
        }
      } finally {
        await context.close();
      }
    }
  }
});

test('the legal-aid guide links both on its first screen of a phone, and stays axe clean', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url('guides/legal-aid/'), { waitUntil: 'networkidle' });
    for (const [name, target] of [['自助测评', CHECK], ['打印申请表', APPLY]]) {
      const link = page.getByRole('link', { name, exact: true });
      assert.equal(new URL(await link.evaluate((a) => a.href)).pathname, `/sfj/${target}`);
      const box = await link.boundingBox();
      assert.ok(box && box.y + box.height <= 844, `${name} is on the first screen (bottom at ${box && Math.round(box.y + box.height)} px)`);
      assert.ok(box.height >= 44, `${name} is ${box.height}px tall`);
    }
    const violations = await axe(page);
    assert.deepEqual(violations, [], `axe found:\n${violations.join('\n')}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
});
