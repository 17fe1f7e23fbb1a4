'use strict';
// Search (issue 11): pufa's own index under /sfj/search/, queried by the theme's plain
// search.js, on the sample site served by nginx under Content-Security-Policy
// `default-src 'self'` and nothing more.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite, watch, offHost, reportDir } = require('../lib/browser');

const ctx = useSuite();

// query → parts of URLs (under /sfj/) that must be among the results.
const EXPECTED = {
  法律援助: ['guides/legal-aid/', 'news/2024-12-27-legal-aid/'],
  援助: ['guides/legal-aid/'],
  复议: ['guides/administrative-reconsideration/', 'news/2024-12-28-administrative-reconsideration/'],
  调解: ['guides/people-mediation/', 'news/2024-12-26-mediation/'],
  水头: ['route/05-shuitou-village/', 'directory/offices/#shuitou-sfs'],
  李明远: ['directory/counsels/#'],
  打官司: ['guides/'],
};

/** Runs `use` with a fresh browser context (made with `options`), closed afterwards. */
async function inContext(options, use) {
  const context = await ctx.browser.newContext(options);
  try {
    return await use(context);
  } finally {
    await context.close();
  }
}

/** Opens /search/?q=…, waits for the answer, shows every result; returns the page and log. */
async function open(context, query, kind) {
  const page = await context.newPage();
  const log = await watch(page);
  const q = query === undefined ? '' : '?q=' + encodeURIComponent(query) + (kind ? '&kind=' + encodeURIComponent(kind) : '');
  await page.goto(ctx.url('search/' + q));
  if (query !== undefined) {
    await page.waitForFunction(() => /找到|没有找到/.test(document.getElementById('search-status').textContent));
    for (let i = 0; i < 20 && await page.locator('#search-more').isVisible(); i++) {
      const before = await page.locator('#search-results li').count();
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, before);
    }
  }
  return { page, log };
}

async function results(page) {
  return page.locator('#search-results li').evaluateAll((items) => items.map((li) => ({
    href: li.querySelector('a').getAttribute('href'),
    title: li.querySelector('a').textContent,
    kind: li.querySelector('.result-kind').textContent,
    text: li.querySelector('p').textContent,
    marks: [...li.querySelectorAll('p mark')].map((m) => m.textContent),
    titleMarks: [...li.querySelectorAll('a mark')].map((m) => m.textContent),
  })));
}

test('/search/ has one search box, labelled, and loads nothing but the site', async () => {
  await inContext({}, async (context) => {
    const { page, log } = await open(context);
    assert.equal(await page.locator('[role=search]').count(), 1, 'one search landmark');
    const box = page.getByRole('searchbox');
    assert.equal(await box.count(), 1);
    assert.ok(await box.evaluate((el) => el.labels && el.labels.length), 'the box has a label');
    // Examples in a hint that stays, not in a placeholder that goes as one types.
    assert.equal(await box.getAttribute('placeholder'), null);
    const hint = page.locator('#' + await box.getAttribute('aria-describedby'));
    assert.ok(await hint.isVisible(), 'the hint is on the page');
    assert.match(await hint.innerText(), /如：法律援助/);
    await page.waitForLoadState('networkidle');
    assert.ok(await page.locator('#search-kind').isVisible(), 'the kind filter is shown with JavaScript');
    assert.deepEqual(offHost(log, ctx.origin), []);
    assert.deepEqual(log.errors, []);
  });
});

for (const [query, expected] of Object.entries(EXPECTED)) {
  test(`search ${query} finds ${expected.join(', ')}`, async () => {
    await inContext({}, async (context) => {
      const { page, log } = await open(context, query);
      const urls = (await results(page)).map((r) => decodeURI(r.href));
      for (const want of expected) {
        assert.ok(urls.some((u) => u.includes('/sfj/' + want)), `${query}: ${want} not among ${urls.join(', ')}`);
      }
      assert.deepEqual(log.errors, []);
    });
  });
}

test('a counsel is found as their own entry, with their own details only', async () => {
  await inContext({}, async (context) => {
    const { page } = await open(context, '李明远');
    const found = await results(page);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].title, '李明远');
    assert.equal(found[0].kind, '服务名录');
    assert.match(found[0].href, /^\/sfj\/directory\/counsels\/#/);
    const own = await page.evaluate(async (href) => {
      const res = await fetch(href.split('#')[0]);
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      return doc.getElementById(href.split('#')[1]).textContent;
    }, found[0].href);
    assert.ok(own.includes('李明远'), 'the anchor is the entry');
    // Labelled as on the directory page, so that the villages served read apart from the services.
    assert.match(found[0].text, /^村（居）法律顾问，瑶峰镇；电话：0359-8500101；服务事项：法律咨询、/);
    assert.match(found[0].text, /服务对象：东关社区、西关社区、南关村/);
    for (const phone of found[0].text.match(/\d{4}-\d{7}|1\d{10}/g) || []) {
      assert.ok(own.includes(phone), `${phone} in the snippet is not this entry's`);
    }
  });
});

test('without scripts, /search/ says in plain words that search cannot work there, and links the lists', async () => {
  await inContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } }, async (context) => {
    const page = await context.newPage();
    const log = await watch(page);
    await page.goto(ctx.url('search/?q=' + encodeURIComponent('法律援助')));
    assert.equal(await page.locator('#search').isVisible(), false, 'no search box that cannot search');
    const text = await page.locator('main').innerText();
    assert.match(text, /站内搜索在当前浏览器中无法使用/);
    assert.doesNotMatch(text, /JavaScript|脚本错误|noscript/i);
    const links = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const list of ['/sfj/guides/', '/sfj/directory/']) {
      assert.ok(links.includes(list), `${list} is linked: ${links.join(' ')}`);
    }
    assert.ok(links.some((href) => href.startsWith('tel:')), 'the hotline is a link');
    assert.deepEqual(offHost(log, ctx.origin), [], 'no request leaves 127.0.0.1');
    await page.screenshot({ path: path.join(reportDir(), 'search-nojs-390.png'), fullPage: true });
  });
});

test('the count of results names the site\'s word searched for a citizen\'s word', async () => {
  await inContext({}, async (context) => {
    const { page } = await open(context, '离婚');
    assert.ok(await page.locator('#search-results li').count() > 0);
    assert.match(await page.locator('#search-status').textContent(), /^找到 \d+ 条与“离婚”有关的结果（同时搜索了“婚姻家庭”）。$/);
    assert.ok(await page.locator('#search-results mark', { hasText: '婚姻家庭' }).count() > 0, 'what was found is marked');
  });
});

test('a word the site never uses says so, with the hotline', async () => {
  await inContext({}, async (context) => {
    const { page } = await open(context, '离职');
    assert.equal(await page.locator('#search-results li').count(), 0);
    assert.match(await page.locator('#search-status').textContent(), /没有找到与“离职”有关的内容/);
    assert.equal(await page.locator('#search-status a[href^="tel:"]').count(), 1);
  });
});

test('results come as a citizen types, labelled by kind, matches marked, and the kind filter narrows them', async () => {
  await inContext({}, async (context) => {
    const { page, log } = await open(context);
    await page.locator('#search-q').pressSequentially('复议', { delay: 50 });
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    assert.match(page.url(), /\?q=%E5%A4%8D%E8%AE%AE/, 'the query is in the address, to share');
    const found = await results(page);
    assert.ok(found.some((r) => r.kind === '办事指南') && found.some((r) => r.kind === '动态'), JSON.stringify(found));
    assert.ok(found.some((r) => r.marks.includes('复议')), 'the match is marked');
    const titled = found.find((r) => r.title === '申请行政复议');
    assert.ok(titled, found.map((r) => r.title).join());
    assert.deepEqual(titled.titleMarks, ['复议'], 'the match is marked in the title too, and the title is whole');
    await page.selectOption('#search-kind', '办事指南');
    await page.waitForFunction(() => [...document.querySelectorAll('#search-results .result-kind')].every((k) => k.textContent === '办事指南'));
    assert.ok((await results(page)).length >= 1);
    assert.match(await page.locator('#search-status').getAttribute('role'), /status/);
    assert.deepEqual(offHost(log, ctx.origin), []);
    assert.deepEqual(log.errors, []);
  });
});

test('search works by keyboard alone', async () => {
  await inContext({}, async (context) => {
    const { page } = await open(context);
    await page.locator('#search-q').focus();
    await page.keyboard.type('调解');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.closest('#search-results') !== null);
    assert.ok(focused, 'Tab reaches the first result');
  });
});

test('bytes fetched for a two-word query after the page has loaded', async () => {
  await inContext({}, async (context) => {
    const page = await context.newPage();
    await page.goto(ctx.url('search/'));
    await page.waitForLoadState('networkidle');
    const sizes = [];
    page.on('requestfinished', async (req) => {
      const s = await req.sizes();
      sizes.push([req.url(), s.responseBodySize + s.responseHeadersSize]);
    });
    await page.fill('#search-q', '法律援助 申请');
    await page.press('#search-q', 'Enter');
    await page.locator('#search-results li').first().waitFor();
    await page.waitForLoadState('networkidle');
    const total = sizes.reduce((n, [, b]) => n + b, 0);
    fs.writeFileSync(path.join(reportDir(), 'search-bytes.txt'), `法律援助 申请: ${total} bytes in ${sizes.length} requests\n` + sizes.map(([u, b]) => `${b}\t${u}`).join('\n') + '\n');
    assert.ok(total > 0 && total < 150 * 1024, `${total} bytes`);
  });
});
