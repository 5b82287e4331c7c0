#!/usr/bin/env node
// Renders the risky-update fixture's HTML audit report and takes a headless Chromium screenshot of
// it, to check the report displays in a real browser. Skips cleanly (exit 0) when no Chromium is
// installed. Run: npm run build && node bench/audit-screenshot.js [out.png]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const browser = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((b) => fs.existsSync(b));
if (!browser) {
  console.log('skipped: no chromium');
  process.exit(0);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-shot-'));
const html = path.join(tmp, 'report.html');
const png = path.resolve(process.argv[2] ?? path.join(tmp, 'report.png'));
const audit = spawnSync(process.execPath, [path.join(root, 'bin', 'platform.js'), 'audit', path.join(root, 'test', 'fixtures', 'preview', 'risky-update.json'), '--format', 'html', '--out', html], { encoding: 'utf8' });
if (audit.status !== 0) {
  console.error(`audit failed: ${audit.stderr.trim()}`);
  process.exit(1);
}
const shot = spawnSync(browser, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', `--user-data-dir=${path.join(tmp, 'profile')}`,
  '--hide-scrollbars', '--window-size=1280,2600', `--screenshot=${png}`, `file://${html}`,
], { encoding: 'utf8', timeout: 60000 });
const size = fs.existsSync(png) ? fs.statSync(png).size : 0;
// A blank page compresses to a few KiB; a rendered report with tables and colours is far larger.
if (shot.status !== 0 || size < 20000) {
  console.error(`screenshot failed (exit ${shot.status}, ${size} bytes): ${(shot.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  process.exit(1);
}
console.log(`screenshot: ${png} (${Math.round(size / 1024)} KiB) from ${browser}`);
if (!process.argv[2]) fs.rmSync(tmp, { recursive: true, force: true });
