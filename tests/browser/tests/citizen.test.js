'use strict';
// A citizen on a 390 × 844 phone (and an office PC at 1280 px), in 中 and 大: a short header
// with 菜单 and 阅读设置 that open without JavaScript; the legal-aid guide's first office and
// its phone on the first screen; no developer words outside the data-download areas on any
// page; map and chart text of at least 14 px that grows at 大; 3:1 edges on controls at 大 +
// 高对比度 and a column that does not move between sizes; the directory filter's counts; and a
// screenshot of every kind of page at both widths in the report folder, for a person to look at.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite, samplePages, reportDir } = require('../lib/browser');

const ctx = useSuite();
const PHONE = { width: 390, height: 844 };

/** Opens a context at `viewport` whose pages start in `font` (medium | large) and `contrast`. */
async function reader(viewport, font = 'medium', contrast = false, javaScriptEnabled = true) {
  const context = await ctx.browser.newContext({ viewport, javaScriptEnabled });
  await context.addInitScript(([f, c]) => {
    if (f !== 'medium') localStorage.setItem('pufa-font', f);
    if (c) localStorage.setItem('pufa-contrast', 'high');
  }, [font, contrast]);
  return context;
}

/** Every built HTML page under /sfj/ that is not a redirect, as a path under /sfj/. */
function allPages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html') && !fs.readFileSync(p, 'utf8').includes('http-equiv="refresh"')) {
        out.push(path.relative(ctx.siteDir, p).replace(/index\.html$/, ''));
      }
    }
  };
  walk(ctx.siteDir);
  return out.sort();
}

for (const [font, limit] of [['medium', 160], ['large', 240]]) {
  test(`the header is at most ${limit} px tall on a 390 px phone at ${font === 'medium' ? '中' : '大'}`, async (t) => {
    const context = await reader(PHONE, font);
    try {
      for (const p of samplePages(ctx)) {
        await t.test(`${p.name} (/sfj/${p.path})`, async () => {
          const page = await context.newPage();
          await page.goto(ctx.url(p.path));
          const r = await page.evaluate(() => ({
            height: document.querySelector('body > header').getBoundingClientRect().height,
            title: (() => {
              const a = document.querySelector('.site-title');
              return a.getClientRects().length;
            })(),
            searchVisible: !!document.querySelector('header [role="search"] input')?.getClientRects().length,
          }));
          assert.ok(r.height <= limit, `header ${r.height} px, want ≤ ${limit}`);
          assert.equal(r.title, 1, 'the site name stays on one line');
          assert.ok(r.searchVisible, 'the search box is in the header');
          // Everything is still there: the menu and the reading settings open on a tap.
          await page.getByText('菜单', { exact: true }).click();
          assert.ok(await page.locator('nav.site-nav a').first().isVisible(), '菜单 shows the links');
          await page.getByText('阅读设置', { exact: true }).click();
          assert.ok(await page.getByRole('button', { name: '高对比度' }).isVisible(), '阅读设置 shows 高对比度');
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  });
}

test('without JavaScript 菜单 still opens, and 阅读设置 explains the browser zoom', async () => {
  const context = await reader(PHONE, 'medium', false, false);
  try {
    const page = await context.newPage();
    await page.goto(ctx.url('guides/'));
    const link = page.locator('nav.site-nav a').first();
    assert.equal(await link.isVisible(), false, 'the menu starts closed on a phone');
    await page.getByText('菜单', { exact: true }).click();
    assert.ok(await link.isVisible(), 'the menu opens without JavaScript');
    await page.getByText('阅读设置', { exact: true }).click();
    assert.ok(await page.getByText('放大文字').isVisible(), 'a hint replaces the buttons that need JavaScript');
  } finally {
    await context.close();
  }
});

test('the legal-aid guide shows fee, time limit and the first office (address, hours, its phone, 导航) on the first phone screen', async () => {
  const context = await reader(PHONE);
  try {
    const page = await context.newPage();
    await page.goto(ctx.url('guides/legal-aid/'));
    const r = await page.evaluate(() => {
      const bottom = (sel) => {
        const el = document.querySelector(sel);
        return el ? el.getBoundingClientRect().bottom + window.scrollY : null;
      };
      const office = document.querySelector('.first-office');
      return {
        fee: bottom('.guide-summary dl div:nth-child(1) dd'),
        feeText: document.querySelector('.guide-summary dl').innerText,
        name: bottom('.first-office h3'),
        facts: bottom('.first-office .office-facts'),
        factsText: office.querySelector('.office-facts').innerText,
        phone: bottom('.first-office a.tel'),
        phoneHref: office.querySelector('a.tel').getAttribute('href'),
        navigate: bottom('.first-office a.navigate'),
        navigateHref: office.querySelector('a.navigate').getAttribute('href'),
      };
    });
    assert.match(r.feeText, /收费标准[\s\S]*不收费/);
    assert.match(r.feeText, /办理时限[\s\S]*7 日内/);
    assert.match(r.factsText, /地址[\s\S]*办公时间/, 'address and hours of the first office');
    for (const key of ['fee', 'name', 'phone', 'navigate', 'facts']) {
      assert.ok(r[key] !== null && r[key] <= PHONE.height, `${key} ends at ${r[key]} px, below the first screen`);
    }
    assert.match(r.phoneHref, /^tel:0359-/, 'the office\'s own phone, not the hotline');
    assert.match(r.navigateHref, /^https:\/\/uri\.amap\.com\/navigation\?to=/);
  } finally {
    await context.close();
  }
});

/** Words for developers that citizens must not meet outside the download areas. */
const DEVELOPER_WORDS = [
  'GeoJSON', 'WGS-84', 'WGS84', 'Atom', 'JSON', 'CSV', 'vCard', 'RSS', 'XML', 'SVG', 'HTML',
  'JavaScript', 'CSS', 'axe-core', 'CSP', 'Chromium', 'API', 'UTF-8', 'sitemap', 'Pagefind',
  'WebAssembly', 'localStorage', 'Tera', '提到本指南的页面', '内容安全策略', '北纬', '东经',
];

test('no developer words on any page outside the data-download areas', async () => {
  const context = await reader({ width: 1280, height: 900 });
  try {
    const page = await context.newPage();
    const found = [];
    const pages = allPages();
    assert.ok(pages.includes('search/'), 'the search page is read too');
    assert.ok(pages.length > 50, `${pages.length} pages`);
    for (const p of pages) {
      await page.goto(ctx.url(p), { waitUntil: 'domcontentloaded' });
      const text = await page.evaluate(() => {
        for (const el of document.querySelectorAll('.data-download')) el.remove();
        for (const d of document.querySelectorAll('details')) d.open = true;
        return document.body.innerText;
      });
      for (const word of DEVELOPER_WORDS) {
        const pattern = /^[A-Za-z]/.test(word) ? new RegExp(`(^|[^A-Za-z])${word.replace(/[-.]/g, '\\$&')}($|[^A-Za-z])`) : new RegExp(word);
        if (pattern.test(text)) found.push(`/sfj/${p}: ${word}`);
      }
    }
    assert.deepEqual(found, []);
    // The download areas themselves explain the formats in plain words.
    await page.goto(ctx.url('directory/offices/'));
    const downloads = await page.evaluate(() => {
      const d = document.querySelector('.data-download');
      d.open = true;
      return d.innerText;
    });
    for (const label of ['表格（Excel）', '保存到手机通讯录', '数据（JSON）', '一般读者不需要']) {
      assert.ok(downloads.includes(label), `the 数据下载 area says ${label}`);
    }
  } finally {
    await context.close();
  }
});

/** Rendered size (px) of the smallest text of each picture on the page. */
function pictureTextSizes() {
  const min = (sel) => {
    const sizes = [...document.querySelectorAll(sel)].filter((t) => t.getClientRects().length)
      .map((t) => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
      });
    return sizes.length ? Math.min(...sizes) : null;
  };
  return { map: min('svg.route-map text'), chart: min('svg.chart text') };
}

test('map and chart text is at least 14 px on a phone at 中 and grows at 大', async () => {
  const sizes = {};
  for (const font of ['medium', 'large']) {
    const context = await reader(PHONE, font);
    try {
      const page = await context.newPage();
      await page.goto(ctx.url('route/'));
      const map = (await page.evaluate(pictureTextSizes)).map;
      await page.goto(ctx.url(samplePages(ctx).find((p) => p.name === 'report').path));
      const chart = (await page.evaluate(pictureTextSizes)).chart;
      sizes[font] = { map, chart };
    } finally {
      await context.close();
    }
  }
  assert.ok(sizes.medium.map >= 13.95, `map text ${sizes.medium.map} px at 中`);
  assert.ok(sizes.medium.chart >= 13.95, `chart text ${sizes.medium.chart} px at 中`);
  assert.ok(sizes.large.map > sizes.medium.map * 1.15, `map text grows at 大: ${JSON.stringify(sizes)}`);
  assert.ok(sizes.large.chart > sizes.medium.chart * 1.15, `chart text grows at 大: ${JSON.stringify(sizes)}`);
});

/** Contrast ratio of two `rgb(…)` colours (WCAG relative luminance). */
function contrastOf(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('at 大 + 高对比度 every checkbox and input edge has 3:1 contrast against the page', async () => {
  for (const contrast of [false, true]) {
    const context = await reader(PHONE, 'large', contrast);
    try {
      const page = await context.newPage();
      for (const p of ['guides/legal-aid/', 'directory/offices/', '404.html']) {
        await page.goto(ctx.url(p));
        const edges = await page.evaluate(() => [...document.querySelectorAll('main input')]
          .filter((el) => el.getClientRects().length)
          .map((el) => {
            const s = getComputedStyle(el);
            let bgEl = el.parentElement;
            while (bgEl && getComputedStyle(bgEl).backgroundColor === 'rgba(0, 0, 0, 0)') bgEl = bgEl.parentElement;
            return {
              what: `${el.tagName.toLowerCase()}#${el.id || el.textContent.trim().slice(0, 8)}`,
              border: s.borderTopColor, width: parseFloat(s.borderTopWidth),
              around: bgEl ? getComputedStyle(bgEl).backgroundColor : 'rgb(255, 255, 255)',
            };
          }));
        assert.ok(edges.length > 0, `${p}: inputs found`);
        for (const e of edges) {
          assert.ok(e.width >= 2, `${p} ${e.what}: edge ${e.width} px`);
          const ratio = contrastOf(e.border, e.around);
          assert.ok(ratio >= 3, `${p} ${e.what} (${contrast ? '高对比度' : '普通'}): edge ${e.border} on ${e.around} is ${ratio.toFixed(2)}:1`);
        }
      }
    } finally {
      await context.close();
    }
  }
});

test('the content column stays put between 中 and 大 and with 高对比度 (1280 px)', async () => {
  const lefts = [];
  for (const [font, contrast] of [['medium', false], ['large', false], ['large', true], ['small', false]]) {
    const context = await reader({ width: 1280, height: 900 }, font, contrast);
    try {
      const page = await context.newPage();
      await page.goto(ctx.url('guides/legal-aid/'));
      const r = await page.evaluate(() => {
        const box = document.querySelector('main').getBoundingClientRect();
        return { left: box.left, width: box.width };
      });
      lefts.push({ font, contrast, ...r });
    } finally {
      await context.close();
    }
  }
  for (const l of lefts) {
    assert.ok(Math.abs(l.left - lefts[0].left) < 1 && Math.abs(l.width - lefts[0].width) < 1,
      `the column moves: ${JSON.stringify(lefts)}`);
  }
});

test('filtering a directory keeps each group\'s count right and says "nothing found" next to the box', async () => {
  const context = await reader({ width: 1280, height: 900 });
  try {
    const page = await context.newPage();
    await page.goto(ctx.url('directory/counsels/'));
    await page.getByLabel('筛选').fill('南关');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-search][hidden]').length > 0);
    const groups = await page.evaluate(() => [...document.querySelectorAll('.directory-group')]
      .filter((g) => !g.hidden)
      .map((g) => ({ heading: g.querySelector('h2').innerText, shown: g.querySelectorAll('tr[data-search]:not([hidden])').length })));
    assert.ok(groups.length >= 1);
    for (const g of groups) {
      assert.match(g.heading, new RegExp(`显示 ${g.shown} 条`), `the heading counts what is shown: ${g.heading}`);
    }
    await page.getByLabel('筛选').fill('没有这个地方');
    const gap = await page.evaluate(() => {
      const box = document.getElementById('directory-filter-input').getBoundingClientRect();
      const msg = document.getElementById('directory-filter-empty').getBoundingClientRect();
      return msg.top - box.bottom;
    });
    assert.ok(gap >= 0 && gap < 150, `the empty message is ${gap} px under the box`);
  } finally {
    await context.close();
  }
});

/** One page of each kind, for the screenshots. */
function pageKinds() {
  const stop = samplePages(ctx).find((p) => p.name === 'route stop').path;
  return [
    ...samplePages(ctx),
    { name: 'route sign', path: `${stop}sign/` },
    { name: 'guides index', path: 'guides/' },
    { name: 'directory index', path: 'directory/' },
    { name: 'directory township', path: 'directory/offices/shui-tou-zhen/' },
    { name: 'reports index', path: 'reports/' },
    { name: 'news index', path: 'news/' },
    { name: 'not found', path: '404.html' },
  ];
}

test('a screenshot of every kind of page at 390 and 1280 px lands in the report folder', async (t) => {
  const dir = path.join(reportDir(), 'screens');
  fs.mkdirSync(dir, { recursive: true });
  for (const [width, height, font] of [[390, 844, 'medium'], [1280, 900, 'medium'], [390, 844, 'large']]) {
    const context = await reader({ width, height }, font);
    try {
      for (const p of pageKinds()) {
        await t.test(`${p.name} at ${width} px, ${font}`, async () => {
          const page = await context.newPage();
          const res = await page.goto(ctx.url(p.path));
          assert.equal(res.status(), 200, `HTTP ${res.status()}`);
          const file = path.join(dir, `${p.name.replace(/\s+/g, '-')}-${width}-${font}.png`);
          await page.screenshot({ path: file, fullPage: font === 'medium' });
          assert.ok(fs.statSync(file).size > 5000, `${file} has a picture`);
          await page.close();
        });
      }
    } finally {
      await context.close();
    }
  }
});
