#!/usr/bin/env node
'use strict';
// Runs the browser suite once against one build of the sample site: builds the release binary
// from this checkout (cargo, so a stale target/release/pufa is never tested), builds content/
// with it under /sfj/, serves it with nginx (nginx/pufa-sfj.conf, the README's config)
// on a free 127.0.0.1 port, runs `node --test` on tests/, then stops nginx and exits with the
// test runner's status. `node run.js tests/prefs.test.js` runs only some files.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startSite, REPORT_DIR } = require('./lib/site');

async function main() {
  const files = process.argv.slice(2);
  const site = await startSite();
  process.stderr.write(`pufa browser suite: nginx serves the sample site at ${site.baseUrl}\n`);
  let child = null;
  const onSignal = (sig) => { if (child) child.kill(sig); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code = 1;
  try {
    const args = ['--test', '--test-concurrency=1', '--test-reporter=spec'];
    code = await new Promise((resolve) => {
      child = spawn(process.execPath, [...args, ...(files.length ? files : [path.join(__dirname, 'tests')])], {
        cwd: __dirname,
        stdio: 'inherit',
        env: { ...process.env, PUFA_BASE_URL: site.baseUrl, PUFA_SITE_DIR: site.siteDir, PUFA_REPORT_DIR: REPORT_DIR },
      });
      child.on('exit', (c, s) => resolve(c === null ? (s ? 1 : 0) : c));
    });
  } finally {
    await site.stop();
  }
  process.exitCode = code;
}

main().catch((e) => {
  process.stderr.write(`pufa browser suite could not start: ${e.stack || e}\n`);
  process.exitCode = 1;
});
