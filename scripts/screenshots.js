#!/usr/bin/env node
// `npm run screenshots`: starts the built bridge with a throw-away store, sends it a realistic set of signed JoggAI
// webhooks (the project's sample bodies), some of which end as dead letters, then opens every console page in
// Debian's Chromium and writes a screenshot of each to docs/console/. Prints each page's weight (bytes over the wire).
const { spawn } = require('node:child_process');
const { createHmac } = require('node:crypto');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { chromium } = require('playwright-core');

const root = join(__dirname, '..');
const out = join(root, 'docs', 'console');
const SECRET = 'screenshot-webhook-secret';
const TOKEN = 'screenshot-admin-token';
const JOGG_KEY = 'screenshot-jogg-api-key';

/** Slack and a CRM stand-in: the CRM refuses videos whose id starts with "0"-"3" (they become dead letters). */
function standIns() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url.startsWith('/crm') && /"video_id":"[0-3]/.test(body)) {
        res.writeHead(422, { 'content-type': 'application/json' });
        return res.end('{"error":"unknown customer for this video"}');
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startBridge(dir, standIn, joggUrl) {
  const config = join(dir, 'bridge.yaml');
  writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg:
  secrets: ["${SECRET}"]
  apiKey: "${JOGG_KEY}"
  apiUrl: "${joggUrl}"
  publicUrl: https://bridge.example.com
  endpoints:
    - { name: videos, secrets: ["${SECRET}-videos"], events: [generated_video_success, generated_video_failed] }
    - { name: images, events: [generated_image_failed] }
  sync: { auto: true, interval: 5s }
retry: { attempts: 1 }
sinks:
  crm: { type: http, url: "${standIn}/crm/hooks/jogg", headers: { authorization: "Bearer crm-token-not-shown" }, sign: { secret: "whsec_c2NyZWVuc2hvdC1zaWduaW5nLWtleQ==" } }
  alerts: { type: slack, url: "${standIn}/slack/services/T0/B0/ok" }
  archive: { type: file, path: "${dir}/events.jsonl" }
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    slack: { text: ":x: {{ event }}: {{ data.error.message | default: data.error }}" }
  - name: videos
    match: { events: ["generated_*video_success"] }
    to: [crm, alerts]
    slack: { text: ":movie_camera: Video {{ data.video_id }} is ready: {{ data.video_url }}" }
  - name: everything
    match: { events: ["*"] }
    to: [archive]
`);
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', BRIDGE_CONFIG: config, PORT: '0', BRIDGE_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const deadline = Date.now() + 20_000;
  while (!/listening on http:\/\/[^:]+:(\d+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the bridge did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${/listening on http:\/\/[^:]+:(\d+)/.exec(output)[1]}` };
}

async function seed(url) {
  const { sampleEvent } = require(join(root, 'dist', 'common', 'jogg-samples.js'));
  const { JOGG_EVENTS } = require(join(root, 'dist', 'common', 'jogg-event.js'));
  const now = Date.now();
  const names = [...JOGG_EVENTS, 'generated_video_success', 'generated_avatar_video_success', 'generated_video_success', 'generated_video_failed'];
  for (let i = 0; i < 60; i++) {
    const body = JSON.stringify(sampleEvent(names[i % names.length], now - (60 - i) * 1000));
    const signature = createHmac('sha256', SECRET).update(body).digest('hex');
    const res = await fetch(`${url}/webhooks/jogg`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': signature } });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    // a few duplicates (JoggAI retrying) and forged signatures, for the overview's answers
    if (i % 20 === 0) await fetch(`${url}/webhooks/jogg`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': signature } });
    if (i % 10 === 5) await fetch(`${url}/webhooks/jogg`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': '0'.repeat(64) } });
  }
}

/** A page's weight with a cold cache: its HTML and every script and stylesheet it loads. */
async function weight(url, cookie) {
  const { gzipSync } = require('node:zlib');
  const get = async (u) => Buffer.from(await (await fetch(u, { headers: { cookie } })).arrayBuffer());
  const page = await get(url);
  const assets = [...page.toString().matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)].map((m) => new URL(m[1], url).href);
  const bodies = [page, ...(await Promise.all(assets.map(get)))];
  return { raw: bodies.reduce((n, b) => n + b.length, 0), gzip: bodies.reduce((n, b) => n + gzipSync(b).length, 0) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-screens-'));
  const server = await standIns();
  const standIn = `http://127.0.0.1:${server.address().port}`;
  const { FakeJogg } = require(join(root, 'dist', 'sync', 'fake-jogg.server.js'));
  const jogg = await FakeJogg.start({ apiKey: JOGG_KEY });
  const bridge = await startBridge(dir, standIn, jogg.url);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    await seed(bridge.url);
    // the dispatcher sends (and dead-letters) them; answer counts are stored every 10 s
    await new Promise((r) => setTimeout(r, 11_000));
    mkdirSync(out, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const shoot = async (name, path, fullPage = true, prepare = async () => {}) => {
      await page.goto(`${bridge.url}${path}`);
      await page.waitForLoadState('networkidle');
      await prepare();
      await page.screenshot({ path: join(out, `${name}.png`), fullPage });
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const { raw, gzip } = await weight(`${bridge.url}${path}`, cookie);
      console.log(`${name.padEnd(14)} ${path.padEnd(40)} ${(raw / 1024).toFixed(1).padStart(6)} KiB (${(gzip / 1024).toFixed(1)} KiB gzipped), HTML and every asset, cold cache`);
    };
    await shoot('login', '/console/login', false);
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(/\/console$/), page.click('button[type=submit]')]);
    await shoot('overview', '/console');
    // live mode on: its status line, and the rows' states kept up to date
    await shoot('events', '/console/events', false, async () => {
      await page.click('#live-toggle');
      await page.waitForSelector('#live-status[data-state="on"]');
    });
    await page.goto(`${bridge.url}/console/dead`);
    const deadLink = await page.locator('#dead tbody a').first().getAttribute('href');
    await shoot('event-detail', deadLink.replace(/#.*/, ''));
    await shoot('dead-letters', '/console/dead', false);
    await shoot('replay-confirm', '/console/dead/confirm?sink=crm', false);
    await page.goto(`${bridge.url}/console/routes?sample=generated_avatar_video_success`);
    await Promise.all([page.waitForURL(/routes\/test/), page.click('#dry-run button[type=submit]')]);
    await page.screenshot({ path: join(out, 'routes-dry-run.png'), fullPage: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    bridge.child.kill('SIGTERM');
    await jogg.close();
    server.close();
    await new Promise((r) => bridge.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
