'use strict';
// What nginx sends and what every built HTML file contains: the strict CSP and the other
// headers of the README's config; no inline <script>, event handler or style attribute
// (they would break under the CSP on pages the browser tests do not open); nothing loaded
// from another host (scripts, styles, images, fonts, frames).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useSuite } = require('../lib/browser');

const ctx = useSuite();

function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

test('nginx sends the strict Content-Security-Policy and the other security headers', async () => {
  const cssPath = fs.readdirSync(path.join(ctx.siteDir, 'css')).find((f) => /^pufa\..*css$/.test(f));
  for (const p of ['', 'route/', `css/${cssPath}`, 'no-such-page/']) {
    const res = await fetch(ctx.url(p), { redirect: 'manual' });
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /(^|;)\s*default-src 'self'\s*(;|$)/, `/sfj/${p}: CSP is ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|script-src|\*|data:|https?:/, 'no loophole in the policy: default-src self and nothing more');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('referrer-policy'));
    if (p === 'no-such-page/') {
      assert.equal(res.status, 404);
      assert.match(await res.text(), /页面不存在/, 'the site\'s own 404 page');
    } else {
      assert.equal(res.status, 200, `/sfj/${p}`);
    }
  }
  const css = await fetch(ctx.url(`css/${cssPath}`));
  assert.match(css.headers.get('content-type'), /^text\/css/);
  const bare = await fetch(`${ctx.origin}/sfj`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/sfj/');
});

test('no built page has inline scripts, event handlers or style attributes, or loads from another host', () => {
  const problems = [];
  const files = htmlFiles(ctx.siteDir);
  assert.ok(files.length > 20, `${files.length} HTML files`);
  for (const f of files) {
    const html = fs.readFileSync(f, 'utf8');
    const rel = path.relative(ctx.siteDir, f);
    for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
      // A JSON-LD data block is not executed, so a CSP does not apply to it.
      if (/\btype\s*=\s*["']application\/ld\+json["']/.test(m[1])) continue;
      if (!/\bsrc\s*=/.test(m[1])) problems.push(`${rel}: inline <script>`);
      else if (/\bsrc\s*=\s*["']?(https?:)?\/\/(?!127\.0\.0\.1)/.test(m[1])) problems.push(`${rel}: script from another host ${m[1]}`);
    }
    for (const m of html.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) problems.push(`${rel}: inline handler ${m[1]}`);
    for (const m of html.matchAll(/<[a-z][^>]*\sstyle\s*=/gi)) problems.push(`${rel}: style attribute ${m[0].slice(0, 40)}`);
    if (/<style\b/i.test(html)) problems.push(`${rel}: <style> element`);
    for (const m of html.matchAll(/<(img|source|iframe|link|audio|video|embed|object)\b[^>]*\s(src|href|srcset|data)\s*=\s*["']([^"']*)["']/gi)) {
      const tag = m[0];
      if (/^link\b/i.test(m[1]) && /rel=["'](canonical|alternate)["']/.test(tag)) continue;
      if (/(^|[\s,])(https?:)?\/\/(?!127\.0\.0\.1)/.test(m[3])) problems.push(`${rel}: <${m[1]}> from another host: ${m[3]}`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});

test('the README documents the very nginx configuration the suite serves the site with', () => {
  const repo = path.resolve(__dirname, '..', '..', '..');
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const conf = fs.readFileSync(path.join(__dirname, '..', 'nginx', 'pufa-sfj.conf'), 'utf8');
  const deploy = readme.slice(readme.indexOf('## Deploy'));
  const m = /```nginx\n([\s\S]*?)```/.exec(deploy);
  assert.ok(m, 'README has a "## Deploy" section with an ```nginx block');
  assert.equal(m[1], conf, 'README\'s nginx block and tests/browser/nginx/pufa-sfj.conf differ');
  assert.match(deploy, /Content-Security-Policy: default-src 'self'/);
});
