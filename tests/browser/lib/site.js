'use strict';
// Builds the release binary from this checkout, then the sample site under /sfj/ with it, and
// serves that with a real nginx on 127.0.0.1, using the nginx configuration the README
// documents (nginx/pufa-sfj.conf). Used by run.js once for the
// whole suite; a test file started on its own (node --test tests/x.test.js) starts its own.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SUITE = path.resolve(__dirname, '..');
const REPO = path.resolve(SUITE, '..', '..');
const REPORT_DIR = process.env.PUFA_REPORT_DIR || path.join(REPO, 'target', 'browser-report');
const SUBPATH = '/sfj/';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function nginxBinary() {
  for (const p of [process.env.NGINX, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (p && fs.existsSync(p)) return p;
  }
  throw new Error('nginx not found: install Debian\'s nginx (apt-get install -y nginx) or set NGINX');
}

/**
 * Builds the release binary from this checkout (`cargo build --release --locked --quiet`, a
 * no-op when it is up to date) and returns its path, so the suite never tests a stale binary.
 */
function pufaBinary() {
  const r = spawnSync('cargo', ['build', '--release', '--locked', '--quiet'],
    { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw new Error(`cannot run cargo to build pufa: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`cargo build --release --locked failed (exit ${r.status})`);
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(REPO, process.env.CARGO_TARGET_DIR) : path.join(REPO, 'target');
  const bin = path.join(target, 'release', 'pufa');
  if (!fs.existsSync(bin)) throw new Error(`cargo built no ${bin}`);
  return bin;
}

/** Builds the release binary, then content/ with it into OUT/sfj/ for the given base URL. */
function buildSite(baseUrl, outRoot) {
  const out = path.join(outRoot, 'sfj');
  const r = spawnSync(pufaBinary(), ['build', '--root', REPO, '--out', out, '--base-url', baseUrl, '--quiet'],
    { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`pufa build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return out;
}

/** The README's nginx site block with this run's port and web root. */
function siteConfig(port, webRoot) {
  const conf = fs.readFileSync(path.join(SUITE, 'nginx', 'pufa-sfj.conf'), 'utf8');
  const replaced = conf
    .replace(/listen 127\.0\.0\.1:8080;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/var\/www;/, `root ${webRoot};`);
  if (!replaced.includes(`127.0.0.1:${port}`) || !replaced.includes(`root ${webRoot};`)) {
    throw new Error('nginx/pufa-sfj.conf no longer has `listen 127.0.0.1:8080;` and `root /var/www;`');
  }
  return replaced;
}

function waitForPort(port, child, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`nginx exited with ${child.exitCode}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(); });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on 127.0.0.1:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Builds the site and starts nginx in the foreground (daemon off) with its config, pid file,
 * logs and temp folders in a fresh temp dir. Returns { baseUrl, origin, siteDir, stop() }.
 */
async function startSite() {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pufa-browser-'));
  try {
    return await startIn(tmp, port);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function startIn(tmp, port) {
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}${SUBPATH}`;
  const webRoot = path.join(tmp, 'www');
  fs.mkdirSync(webRoot);
  const siteDir = buildSite(baseUrl, webRoot);
  fs.writeFileSync(path.join(tmp, 'pufa-sfj.conf'), siteConfig(port, webRoot));
  // Debian's nginx runs its workers as an unprivileged user when started as root: they
  // must be able to read the temp folder.
  fs.chmodSync(tmp, 0o755);
  const t = (name) => path.join(tmp, name);
  fs.writeFileSync(t('nginx.conf'), [
    'daemon off;',
    'worker_processes 1;',
    `pid ${t('nginx.pid')};`,
    `error_log ${t('error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${t('access.log')};`,
    `  client_body_temp_path ${t('client_body')};`,
    `  proxy_temp_path ${t('proxy')};`,
    `  fastcgi_temp_path ${t('fastcgi')};`,
    `  uwsgi_temp_path ${t('uwsgi')};`,
    `  scgi_temp_path ${t('scgi')};`,
    '  sendfile on;',
    `  include ${t('pufa-sfj.conf')};`,
    '}',
    '',
  ].join('\n'));
  const nginx = nginxBinary();
  const test = spawnSync(nginx, ['-t', '-q', '-p', tmp, '-c', t('nginx.conf'), '-e', t('error.log')], { encoding: 'utf8' });
  if (test.status !== 0) {
    throw new Error(`nginx -t rejected the config:\n${test.stderr}${readIf(t('error.log'))}`);
  }
  const child = spawn(nginx, ['-p', tmp, '-c', t('nginx.conf'), '-e', t('error.log')],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  try {
    await waitForPort(port, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}${readIf(t('error.log'))}`);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT'); // graceful: the master stops its worker and exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { baseUrl, origin, siteDir, errorLog: t('error.log'), stop };
}

function readIf(file) {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

module.exports = { startSite, REPO, REPORT_DIR, SUBPATH };
