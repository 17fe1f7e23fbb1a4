'use strict';
// Shared helpers: one Chromium per test file, the site under test, the pages to check, and
// a watcher that records every request, console error and CSP violation of a page.
const fs = require('node:fs');
const path = require('node:path');
const { before, after } = require('node:test');
const { chromium } = require('playwright-core');
const { startSite, REPORT_DIR } = require('./site');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/**
 * Sets up the site and one browser for the calling test file, and tears both down after it.
 * Returns an object whose fields are filled in by the time the tests run.
 */
function useSuite() {
  const ctx = { baseUrl: null, origin: null, siteDir: null, browser: null };
  let site = null;
  before(async () => {
    if (process.env.PUFA_BASE_URL) {
      ctx.baseUrl = process.env.PUFA_BASE_URL;
      ctx.siteDir = process.env.PUFA_SITE_DIR;
    } else {
      site = await startSite();
      ctx.baseUrl = site.baseUrl;
      ctx.siteDir = site.siteDir;
    }
    ctx.origin = new URL(ctx.baseUrl).origin;
    ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    if (ctx.browser) await ctx.browser.close();
    if (site) await site.stop();
  });
  ctx.url = (p) => new URL(p.replace(/^\//, ''), ctx.baseUrl).href;
  ctx.exists = (p) => fs.existsSync(path.join(ctx.siteDir, p.replace(/^\//, ''), 'index.html'));
  return ctx;
}

/** The home page and one page of each kind. Paths are relative to /sfj/. */
function samplePages(ctx) {
  return [
    { name: 'home', path: '' },
    { name: 'route', path: 'route/' },
    { name: 'route stop', path: firstChild(ctx, 'route') },
    { name: 'directory', path: 'directory/offices/' },
    { name: 'coverage', path: 'coverage/' },
    { name: 'report', path: firstChild(ctx, 'reports') },
    { name: 'news', path: firstChild(ctx, 'news') },
    { name: 'accessibility', path: 'accessibility/' },
    { name: 'guide', path: guidePage(ctx) },
  ];
}

/** The first page folder under a section (sorted by name), as a path under /sfj/. */
function firstChild(ctx, section) {
  const dir = path.join(ctx.siteDir, section);
  if (!fs.existsSync(dir)) throw new Error(`no /${section}/ in the build`);
  const names = fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !['page', 'signs', 'sign'].includes(d.name) && !/^\d{4}$/.test(d.name))
    .map((d) => d.name)
    .filter((n) => fs.existsSync(path.join(dir, n, 'index.html')))
    .sort();
  if (!names.length) throw new Error(`no page under /${section}/ in the build`);
  return `${section}/${names[0]}/`;
}

/** The first guide page (/sfj/guides/<x>/) the guides kind wrote; throws when there is none. */
function guidePage(ctx) {
  return firstChild(ctx, 'guides');
}

/**
 * Records what a page does: every request URL, console errors, uncaught exceptions and CSP
 * violations (Chromium reports those as console errors; the listener catches any it does not).
 */
async function watch(page) {
  const log = { requests: [], errors: [] };
  page.on('request', (req) => log.requests.push(req.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location() && msg.location().url;
      log.errors.push(`console: ${msg.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (err) => log.errors.push(`exception: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) log.errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('requestfailed', (req) => log.errors.push(`request failed: ${req.url()} (${req.failure() && req.failure().errorText})`));
  await page.exposeBinding('__pufaCspViolation', (_src, text) => log.errors.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__pufaCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || ''}:${e.lineNumber}`);
    });
  });
  return log;
}

/** Requests that went anywhere but the test server (data: and blob: URLs never leave the page). */
function offHost(log, origin) {
  return log.requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(u));
}

/** Opens the header's 阅读设置 disclosure, where the 大/中/小 and 高对比度 buttons live. */
async function openReadingSettings(page) {
  await page.evaluate(() => { document.querySelector('details.reading-settings').open = true; });
}

function reportDir() {
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  return REPORT_DIR;
}

module.exports = { openReadingSettings, useSuite, samplePages, guidePage, watch, offHost, reportDir, CHROMIUM, CHROMIUM_ARGS };
