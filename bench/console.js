// The console's page times on a store of a million events (`npm run bench console`): seeds the store in SQLite
// directly (bench/console-seed.js), starts the built bridge on it, signs in, and times each page shape with
// sequential requests (warm cache; median and p95). Reports figures; never fails on a timing.
const { join } = require('node:path');
const { writeFileSync } = require('node:fs');
const { seedEvents } = require('./console-seed');
const { bridgeArgs } = require('./proc');

const ROOT = join(__dirname, '..');
const N = Number(process.env.BENCH_CONSOLE_EVENTS || 1_000_000);
const RUNS = 20;
const TOKEN = 'bench-console-token';

async function consoleBench({ dir, start, stop }) {
  const path = join(dir, `console-${Date.now()}.db`);
  const { openDatabase } = require(join(ROOT, 'dist', 'store', 'sqlite', 'sqlite-connection.js'));
  const { migrate } = require(join(ROOT, 'dist', 'store', 'migrate.js'));
  const { SQLITE_MIGRATIONS, sqliteMigrationDriver } = require(join(ROOT, 'dist', 'store', 'sqlite', 'migrations.js'));
  const db = openDatabase(path, ['synchronous = OFF']);
  await migrate(SQLITE_MIGRATIONS, sqliteMigrationDriver(db));
  const seeded = Date.now();
  const range = seedEvents(db, N);
  db.close();
  console.log(`console: seeded ${N.toLocaleString('en')} events with a delivery each in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  writeFileSync(join(dir, 'console.yaml'), `
store: { path: "${path}" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  crm: { type: file, path: "${dir}/crm.jsonl" }
  alerts: { type: file, path: "${dir}/alerts.jsonl" }
routes: [{ name: all, match: { events: ["*"] }, to: [crm] }]
`);
  const bridge = await start(bridgeArgs(ROOT), { BRIDGE_CONFIG: join(dir, 'console.yaml'), BRIDGE_ADMIN_TOKEN: TOKEN, NODE_ENV: 'production' });
  try {
    const login = await fetch(`${bridge.url}/console/login`, { method: 'POST', body: `token=${TOKEN}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const iso = (ms) => new Date(ms).toISOString();
    const pages = [
      ['overview', '/console'],
      ['events, first page', '/console/events'],
      ['events, older page', `/console/events?before=${N / 2}`],
      ['events by name', '/console/events?event=generated_video_failed'],
      ['events by glob', '/console/events?event=*_success'],
      ['events by resource id', `/console/events?resource=vid-${N / 2 + 7}`],
      ['events with a dead delivery', '/console/events?status=dead'],
      ['events in a time range', `/console/events?from=${iso(range.first + 86_400_000)}&to=${iso(range.first + 2 * 86_400_000)}`],
      ['events by text', `/console/events?q=${encodeURIComponent('customer 4242"')}`],
      ['event detail', `/console/events/${N / 2}`],
      ['dead letters', '/console/dead'],
      ['dead letters of one sink', '/console/dead?sink=crm'],
      ['replay confirmation', '/console/dead/confirm?sink=crm'],
    ];
    const results = [];
    for (const [name, url] of pages) {
      const times = [];
      let bytes = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${bridge.url}${url}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 200)}`);
        if (i >= 2) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        bytes = body.length;
      }
      times.sort((a, b) => a - b);
      results.push({ page: name, url, medianMs: +times[Math.floor(times.length / 2)].toFixed(1), p95Ms: +times[Math.ceil(times.length * 0.95) - 1].toFixed(1), kib: +(bytes / 1024).toFixed(1) });
    }
    const { cpus } = require('node:os');
    const lines = [
      '# Console page times',
      '',
      `Written by \`npm run bench console\` on ${new Date().toISOString().slice(0, 10)}: the built bridge on a SQLite store of ${N.toLocaleString('en')} events`,
      `(one delivery each, bench/console-seed.js), ${RUNS} sequential requests per page after 2 warm-ups; ${cpus().length} cores, Node ${process.version}.`,
      'Times are the whole answer as the client sees it (query, rendering, HTTP on loopback).',
      '',
      '| page | request | median | p95 | HTML |',
      '|---|---|---:|---:|---:|',
      ...results.map((r) => `| ${r.page} | \`${r.url.replace(/\|/g, '%7C')}\` | ${r.medianMs} ms | ${r.p95Ms} ms | ${r.kib} KiB |`),
      '',
    ];
    writeFileSync(join(ROOT, 'docs', 'console', 'BENCH.md'), lines.join('\n'));
    console.log(lines.join('\n'));
    return { events: N, results };
  } finally {
    await stop(bridge);
  }
}

module.exports = { consoleBench };
