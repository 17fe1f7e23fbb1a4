// Bytes a browser fetches for one query, measured in Debian's Chromium against a site folder
// served on 127.0.0.1 by a small static server: pufa's /search/ page (our index), or a page
// of the site that runs Pagefind's own API (for the comparison). Prints one JSON line.
//
//   node tests/bench/query_bytes.js pufa DIR "法律援助 申请"
//   node tests/bench/query_bytes.js pagefind DIR "法律援助 申请"
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('../browser/node_modules/playwright-core');

const [mode, dir, query] = process.argv.slice(2);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };

const server = http.createServer((req, res) => {
  let file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(path.resolve(dir))) { res.writeHead(403); return res.end(); }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});

server.listen(0, '127.0.0.1', async () => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage();
    const fetched = [];
    let counting = false;
    page.on('requestfinished', async (req) => {
      if (!counting) return;
      const sizes = await req.sizes();
      fetched.push({ url: req.url().slice(origin.length), bytes: sizes.responseBodySize });
    });
    let results;
    if (mode === 'pufa') {
      await page.goto(`${origin}/search/`);
      await page.waitForLoadState('networkidle');
      counting = true;
      await page.fill('#search-q', query);
      await page.press('#search-q', 'Enter');
      await page.waitForFunction(() => document.querySelector('#search-results li') || /没有找到/.test(document.getElementById('search-status').textContent));
      await page.waitForLoadState('networkidle');
      results = await page.locator('#search-results li').count();
    } else {
      await page.goto(`${origin}/`);
      await page.waitForLoadState('networkidle');
      counting = true;
      results = await page.evaluate(async (q) => {
        const pf = await import('/pagefind/pagefind.js');
        const search = await pf.search(q);
        await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
        return search.results.length;
      }, query);
      await page.waitForLoadState('networkidle');
    }
    await new Promise((r) => setTimeout(r, 300));
    const total = fetched.reduce((n, f) => n + f.bytes, 0);
    console.log(JSON.stringify({ mode, query, results, requests: fetched.length, bytes: total, files: fetched }));
  } finally {
    await browser.close();
    server.close();
  }
});
