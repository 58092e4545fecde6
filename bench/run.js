#!/usr/bin/env node
// npm run bench: measures the bridge against a baseline in the same run, interleaved, and prints ratios.
// It never fails on a timing; it writes the figures to BENCHMARKS.md.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { cpus, totalmem, tmpdir } = require('node:os');
const { join } = require('node:path');
const { e2eKafka } = require('./e2e-kafka');
const { e2eMax } = require('./e2e-max');
const { peerComparison } = require('./peer/peer');
const { bridgeArgs, load: loadInChild, peakRssMb } = require('./proc');

const ROOT = join(__dirname, '..');
const SECRET = 'bench-secret';
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const PEER_SECONDS = Number(process.env.BENCH_PEER_SECONDS || 10);
const E2E_SECONDS = Number(process.env.BENCH_E2E_SECONDS || 30);

function start(args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, JOGG_WEBHOOK_SECRET: SECRET, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m) {
        clearInterval(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}`, output: () => output });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`exited: ${output}`));
      }
    }, 20);
  });
}

function stop({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** As fast as it answers (or at `rate`/s), from a load generator in a process of its own: it must not be the bottleneck. */
let runs = 0;
async function load(url, duplicatePool, rate) {
  const r = await loadInChild(url, { secret: SECRET, seconds: SECONDS, connections: CONNECTIONS, prefix: `bench-${process.pid}-${++runs}`, dupPool: duplicatePool, rate });
  return { rps: r.rps, p50: r.p50, p99: r.p99, bad: r.non2xx + r.errors + r.timeouts, total: r.total };
}

const loadAverage = () => require('node:fs').readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const LOAD_AT_START = loadAverage();
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function ingestRatio(dir, store = `store: { path: "${dir}/bridge.db" }`) {
  writeFileSync(join(dir, 'bridge.yaml'), `
${store}
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  events-file: { type: file, path: "${dir}/events.jsonl" }
routes:
  - { name: everything-to-file, match: { events: ["*"] }, to: [events-file] }
`);
  const baseline = await start([join(__dirname, 'baseline-server.js')]);
  const bridge = await start(bridgeArgs(ROOT), { BRIDGE_CONFIG: join(dir, 'bridge.yaml'), NODE_ENV: 'production' });
  const results = { baseline: [], bridge: [], duplicates: [] };
  try {
    await load(baseline.url); // warm-up both, not counted
    await load(bridge.url);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? ['bridge', 'duplicates', 'baseline'] : ['baseline', 'bridge', 'duplicates'];
      for (const side of order) {
        // duplicates: the same 100 events over and over, as when JoggAI retries
        const r = await load(side === 'baseline' ? baseline.url : bridge.url, side === 'duplicates' ? 100 : undefined);
        results[side].push(r);
        console.log(`  round ${round + 1} ${side.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx/errors ${r.bad}`);
      }
    }
    results.rssMb = peakRssMb(bridge.child.pid);
  } finally {
    await stop(bridge);
    await stop(baseline);
  }
  const summary = summarise(results);
  const dup = results.duplicates;
  summary.duplicates = { rps: mean(dup.map((r) => r.rps)), p50: median(dup.map((r) => r.p50)), p99: median(dup.map((r) => r.p99)), bad: dup.reduce((a, r) => a + r.bad, 0) };
  summary.rssMb = results.rssMb;
  return summary;
}

/** Time from spawning the bridge to its first /readyz 200, in ms (median of 5). */
async function startupTimes(dir) {
  writeFileSync(join(dir, 'startup.yaml'), `
store: { path: "${dir}/startup.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks: { events-file: { type: file, path: "${dir}/startup.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [events-file] }]
`);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const bridge = await start(bridgeArgs(ROOT), { BRIDGE_CONFIG: join(dir, 'startup.yaml'), NODE_ENV: 'production' });
    for (;;) {
      const res = await fetch(`${bridge.url}/readyz`).catch(() => undefined);
      if (res?.status === 200) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await stop(bridge);
  }
  return median(times);
}

/** Reads delivery timings from the store the bridge wrote, SQLite or PostgreSQL, with the same two queries. */
async function openReader(store) {
  if (store.url) {
    const { Client } = require('pg');
    const client = new Client({ connectionString: store.url });
    await client.connect();
    return {
      all: async (sql, params) => {
        let n = 0;
        return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
      },
      close: () => client.end(),
    };
  }
  const Database = require('better-sqlite3');
  const db = new Database(store.path, { readonly: true });
  return { all: async (sql, params) => db.prepare(sql).all(...params), close: async () => db.close() };
}

/** End to end to the file and HTTP sinks at a fixed offered rate; receipt → delivery from the store's own records. */
async function e2eLocal(dir, store = { path: join(dir, 'e2e.db') }) {
  const { createServer } = require('node:http');
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  writeFileSync(join(dir, 'e2e.yaml'), `
store: ${store.url ? `{ driver: postgres, url: "${store.url}" }` : `{ path: "${store.path}" }`}
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  events-file: { type: file, path: "${dir}/e2e-${Date.now()}.jsonl" }
  hook: { type: http, url: "http://127.0.0.1:${receiver.address().port}/hook", concurrency: 32 }
routes: [{ name: all, match: { events: ["*"] }, to: [events-file, hook] }]
`);
  const bridge = await start(bridgeArgs(ROOT), { BRIDGE_CONFIG: join(dir, 'e2e.yaml'), NODE_ENV: 'production' });
  const result = {};
  try {
    const run = await loadInChild(bridge.url, { secret: SECRET, seconds: 10, connections: 50, prefix: `e2e-${process.pid}-${Date.now()}`, rate: 1000 });
    result.accepted = run.rps;
    const db = await openReader(store);
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && Number((await db.all(`SELECT COUNT(*) AS n FROM deliveries WHERE status <> 'delivered'`, []))[0].n) > 0) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const sink of ['events-file', 'hook']) {
        const rows = (await db.all(`SELECT updated_at - created_at AS ms FROM deliveries WHERE sink = ? AND status = 'delivered' ORDER BY ms`, [sink])).map((r) => Number(r.ms));
        const span = Number((await db.all(`SELECT (MAX(updated_at) - MIN(created_at)) / 1000.0 AS s FROM deliveries WHERE sink = ?`, [sink]))[0].s);
        result[sink] = { delivered: rows.length, perSecond: rows.length / span, p50: rows[Math.floor(rows.length * 0.5)], p99: rows[Math.floor(rows.length * 0.99)] };
      }
    } finally {
      await db.close();
    }
    result.rssMb = peakRssMb(bridge.child.pid);
  } finally {
    await stop(bridge);
    receiver.close();
  }
  return result;
}

const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');

function peerSection(peer) {
  if (!peer) return [];
  const sideName = { before: 'jogg-bridge before these changes (same config)', bridge: 'jogg-bridge (shipped config: SQLite FULL + file sink, fsync)', benthos: 'Benthos 4.60 (http_server → HMAC in bloblang → file, no fsync, no dedupe)', bare: 'bare node:http + HMAC + JSON.parse' };
  const of = (name) => peer.runs.filter((r) => r.name === name);
  const list = (rs, f) => rs.map(f).join(' / ');
  const rows = peer.sides.map((name) => {
    const rs = of(name);
    return `| ${sideName[name]} | ${list(rs, (r) => f0(r.rps))} | ${list(rs, (r) => r.p99)} | ${list(rs, (r) => f2(r.cpuPer10k))} | ${list(rs, (r) => f0(r.rssMb))} | ` +
      `${name === 'bare' ? '–' : list(rs, (r) => `${f0(100 * r.deliveredAtEnd)} %`)} | ${name === 'bare' ? '–' : list(rs, (r) => f0(r.drainMs))} | ${list(rs, (r) => r.bad)} |`;
  });
  const ratio = (a, b, f) => list(of(a), (r) => { const o = of(b).find((x) => x.round === r.round); return o ? f2(f(r) / f(o)) : '–'; });
  const ratios = peer.sides.includes('benthos')
    ? [`Per round, bridge/Benthos: req/s ${ratio('bridge', 'benthos', (r) => r.rps)}; CPU per event ${ratio('bridge', 'benthos', (r) => r.cpuPer10k)}. ` +
       `Bridge/bare: req/s ${ratio('bridge', 'bare', (r) => r.rps)}.`]
    : [`Bridge/bare req/s per round: ${ratio('bridge', 'bare', (r) => r.rps)}.${peer.skipped ? ` ${peer.skipped}.` : ''}`];
  return [
    '## Peer comparison: jogg-bridge vs Benthos vs bare node:http',
    '',
    `${peer.rounds} interleaved rounds (order rotated) of ${peer.seconds} s per side, ${peer.connections} connections, each run a fresh process in a fresh`,
    'directory after a 2 s warm-up. Values are per round (round 1 / 2 / 3). CPU is the server\'s (all threads, from /proc) from the start',
    'of the measured load until its output file holds every accepted event, per 10,000 accepted events.',
    '',
    '| side | req/s | p99 ms | CPU s per 10k events incl. delivery | peak RSS MB | events in the file when the load ends | drain ms after the load | non-2xx/errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...ratios,
    '',
  ];
}

/** The throughput goals against Benthos, judged on medians over the rounds. */
function peerGoals(peer, max) {
  const goals = [];
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const of = (name) => peer?.runs.filter((r) => r.name === name) ?? [];
  const bridge = of('bridge');
  const benthos = of('benthos');
  if (bridge.length && benthos.length) {
    const rps = med(bridge.map((r) => r.rps)) / med(benthos.map((r) => r.rps));
    const cpu = med(bridge.map((r) => r.cpuPer10k)) / med(benthos.map((r) => r.cpuPer10k));
    goals.push(['ingest req/s ≥ Benthos\'s (medians)', rps >= 1, `${rps.toFixed(2)} ×`]);
    goals.push(['CPU per delivered event ≤ 1.5 × Benthos\'s (medians)', cpu <= 1.5, `${cpu.toFixed(2)} ×`]);
    if (max) {
      const delivered = med(max.map((r) => Math.min(r.file.deliveredPerS, r.http.deliveredPerS))) / med(benthos.map((r) => r.rps * r.deliveredAtEnd));
      goals.push(['delivered/s (file, fsync\'d, and HTTP) ≥ Benthos\'s file-output rate', delivered >= 1, `${delivered.toFixed(2)} ×`]);
    }
  }
  if (bridge.length) {
    goals.push(['ingest p99 ≤ 10 ms (peer comparison, median)', med(bridge.map((r) => r.p99)) <= 10, `${med(bridge.map((r) => r.p99))} ms`]);
    const rss = Math.max(...bridge.map((r) => r.rssMb), ...(max ?? []).map((r) => r.rssMb));
    goals.push(['peak RSS ≤ 120 MB (peer comparison, end to end)', rss <= 120, `${rss.toFixed(0)} MB`]);
  }
  if (max) {
    const drain = Math.max(...max.map((r) => Math.max(r.file.drainMs, r.http.drainMs)));
    goals.push(['no backlog growth: everything delivered within 1 s of the load\'s end', drain <= 1000, `${f0(drain)} ms at worst`]);
  }
  return goals;
}

function maxSection(max) {
  if (!max) return [];
  const row = (runs, side) => {
    const list = (f) => runs.map(f).join(' / ');
    return `| ${side} | ${list((r) => f0(r.rps))} | ${list((r) => r.p99)} | ${list((r) => f0(r.file.deliveredPerS))} | ${list((r) => r.file.backlog)} | ${list((r) => f0(r.file.drainMs))} | ` +
      `${list((r) => f0(r.http.deliveredPerS))} | ${list((r) => r.http.backlog)} | ${list((r) => f0(r.http.drainMs))} | ${list((r) => f2(r.cpuPer10k))} | ${list((r) => f0(r.rssMb))} |`;
  };
  return [
    '## End to end at the bridge\'s maximum',
    '',
    `${max[0].seconds} s of as much load as the bridge takes (${CONNECTIONS} connections, load generator in its own process), every event to a file`,
    'sink (fsync before success) and to a local HTTP receiver (its own process). Delivered/s counts what reached the file and the',
    'receiver while the load ran; the backlog is what was accepted but not yet delivered when it ended. Values per round.',
    '',
    '| side | accepted req/s | p99 ms | file: delivered/s | file: backlog at end | file: drain ms | HTTP: delivered/s | HTTP: backlog at end | HTTP: drain ms | CPU s per 10k events (both sinks) | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(max, 'jogg-bridge'),
    ...(max.before ? [row(max.before, 'before these changes')] : []),
    '',
  ];
}

function summarise({ baseline, bridge }) {
  const side = (rs) => ({ rps: mean(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), bad: rs.reduce((a, r) => a + r.bad, 0) });
  const a = side(baseline);
  const b = side(bridge);
  return { baseline: a, bridge: b, ratio: b.rps / a.rps };
}

function report({ ingest, kafka, local, startup, postgres, peer, max }) {
  const machine = `${cpus().length} cores (${cpus()[0].model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}; load average when the run began`,
    `${LOAD_AT_START}, when it ended ${loadAverage()} (other jobs on the machine count: compare sides within one run, round by round).`,
    'Load: autocannon in a process of its own (bench/load.js); every request is a distinct, signed ~315-byte JoggAI event.',
    '',
    ...peerSection(peer),
    ...maxSection(max),
  ];
  if (ingest) {
    lines.push(
      '## Ingest: bridge vs bare node:http + HMAC',
      '',
      `${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s per side after a warm-up. The bridge runs its`,
      'default shape: SQLite (WAL, synchronous=FULL, group commit on a writer thread) and a file sink delivering meanwhile.',
      '',
      '| side | req/s (mean) | p50 ms | p99 ms | non-2xx/errors |',
      '|---|---:|---:|---:|---:|',
      `| baseline (node:http, HMAC, JSON.parse) | ${ingest.baseline.rps.toFixed(0)} | ${ingest.baseline.p50} | ${ingest.baseline.p99} | ${ingest.baseline.bad} |`,
      `| bridge | ${ingest.bridge.rps.toFixed(0)} | ${ingest.bridge.p50} | ${ingest.bridge.p99} | ${ingest.bridge.bad} |`,
      `| bridge, duplicate-heavy (100 distinct events, each sent again and again) | ${ingest.duplicates.rps.toFixed(0)} | ${ingest.duplicates.p50} | ${ingest.duplicates.p99} | ${ingest.duplicates.bad} |`,
      '',
      `**Ratio bridge/baseline: ${ingest.ratio.toFixed(2)}** (target ≥ 0.6 with p99 ≤ 20 ms; goal ≥ 0.8). Peak RSS of the bridge: ${ingest.rssMb.toFixed(0)} MB.`,
      '',
    );
  }
  if (postgres) {
    lines.push(
      '## Ingest on PostgreSQL',
      '',
      'The same load against one bridge on a local PostgreSQL 15 (throw-away cluster, fsync on), with the file sink delivering.',
      '',
      '| side | req/s (mean) | p50 ms | p99 ms | non-2xx/errors |',
      '|---|---:|---:|---:|---:|',
      `| baseline (node:http, HMAC, JSON.parse) | ${postgres.baseline.rps.toFixed(0)} | ${postgres.baseline.p50} | ${postgres.baseline.p99} | ${postgres.baseline.bad} |`,
      `| bridge on PostgreSQL | ${postgres.bridge.rps.toFixed(0)} | ${postgres.bridge.p50} | ${postgres.bridge.p99} | ${postgres.bridge.bad} |`,
      `| bridge on PostgreSQL, duplicate-heavy | ${postgres.duplicates.rps.toFixed(0)} | ${postgres.duplicates.p50} | ${postgres.duplicates.p99} | ${postgres.duplicates.bad} |`,
      '',
      `**Ratio bridge/baseline: ${postgres.ratio.toFixed(2)}**. Peak RSS of the bridge: ${postgres.rssMb.toFixed(0)} MB.`,
      '',
    );
  }
  const e2eTable = (r) => [
    '| sink | delivered | events/s | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...['events-file', 'hook'].map((sink) => `| ${sink === 'hook' ? 'http' : 'file'} | ${r[sink].delivered} | ${r[sink].perSecond.toFixed(0)} | ${r[sink].p50} | ${r[sink].p99} |`),
    '',
    `Accepted ${r.accepted.toFixed(0)} req/s; peak RSS of the bridge ${r.rssMb.toFixed(0)} MB (goal ≤ 200 MB).`,
    '',
  ];
  if (postgres?.e2e) {
    lines.push('### End to end on PostgreSQL', '', 'The file and HTTP sink run below, with the bridge on PostgreSQL.', '', ...e2eTable(postgres.e2e));
  }
  if (local) {
    lines.push(
      '## End to end to the file and HTTP sinks',
      '',
      '1,000 signed events/s offered for 10 s; each goes to a file sink and to a local HTTP receiver. Receipt → delivery is',
      'measured by the bridge itself (the delivery\'s commit time minus the event\'s receipt time, from the store).',
      '',
      ...e2eTable(local),
    );
  }
  if (startup !== undefined) {
    lines.push('## Start-up', '', `From spawning \`node dist/main.js\` to the first \`/readyz\` 200: **${startup.toFixed(0)} ms** (median of 5; goal ≤ 1.5 s).`, '');
  }
  if (kafka) {
    const { atRate: a, sustained: s } = kafka;
    lines.push(
      '## End to end to Kafka: signed webhook in → record seen by a consumer',
      '',
      'A real single-node broker (scripts/kafka-broker.js), topic with 3 partitions, kafkajs consumer; latency is from',
      'the moment the request is built to the moment the consumer sees the record.',
      '',
      '| load | accepted req/s | delivered events/s | p50 ms | p99 ms | errors |',
      '|---|---:|---:|---:|---:|---:|',
      `| 1,000 events/s offered, 10 s | ${a.accepted.toFixed(0)} | ${(a.delivered / 10).toFixed(0)} | ${a.p50} | ${a.p99} | ${a.errors} |`,
      `| full load, 50 connections, 10 s | ${s.accepted.toFixed(0)} | ${s.delivered.toFixed(0)} (${s.total} in ${s.elapsed.toFixed(1)} s) | ${s.p50} | ${s.p99} | ${s.errors} |`,
      '',
      'Targets: ≥ 5,000 events/s sustained; p99 ≤ 100 ms at 1,000 events/s.',
      '',
    );
  }
  const goals = [...peerGoals(peer, max)];
  if (ingest) {
    goals.push(['ingest ≥ 0.8 × the baseline (SQLite)', ingest.ratio >= 0.8, `${ingest.ratio.toFixed(2)}`]);
    goals.push(['p99 ≤ 10 ms at 50 connections', ingest.bridge.p99 <= 10, `${ingest.bridge.p99} ms`]);
  }
  const rss = [ingest?.rssMb, local?.rssMb].filter((x) => x !== undefined);
  if (rss.length) goals.push(['peak RSS ≤ 200 MB (ingest, end to end)', Math.max(...rss) <= 200, rss.map((x) => `${x.toFixed(0)} MB`).join(', ')]);
  if (startup !== undefined) goals.push(['start to ready ≤ 1.5 s', startup <= 1500, `${startup.toFixed(0)} ms`]);
  if (kafka) {
    goals.push(['Kafka ≥ 5,000 events/s sustained', kafka.sustained.delivered >= 5000, `${kafka.sustained.delivered.toFixed(0)}/s`]);
    goals.push(['Kafka p99 ≤ 100 ms at 1,000 events/s', kafka.atRate.p99 <= 100, `${kafka.atRate.p99} ms`]);
  }
  if (goals.length) {
    lines.push('## Goals', '', '| goal | this run | |', '|---|---:|---|', ...goals.map(([goal, met, value]) => `| ${goal} | ${value} | ${met ? 'met' : '**not met**'} |`), '');
    lines.push('Where the time goes on the ingest path, and what was changed for it: `docs/ARCHITECTURE.md`, "Decisions taken while building".', '');
  }
  // a subset of sections only prints: BENCHMARKS.md holds a whole run
  if (!process.argv.slice(2).length) writeFileSync(join(ROOT, 'BENCHMARKS.md'), lines.join('\n'));
  console.log(`\n${lines.join('\n')}`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-bench-'));
  const wanted = process.argv.slice(2);
  const want = (name) => !wanted.length || wanted.includes(name);
  try {
    let ingest;
    let kafka;
    if (want('ingest')) {
      console.log(`ingest: ${ROUNDS} rounds × ${SECONDS} s per side, ${CONNECTIONS} connections`);
      ingest = await ingestRatio(dir);
    }
    let local;
    let startup;
    if (want('e2e')) {
      console.log('end to end to the file and HTTP sinks: 10 s at 1,000 events/s offered');
      local = await e2eLocal(dir);
      console.log(JSON.stringify(local));
    }
    if (want('startup')) {
      startup = await startupTimes(dir);
      console.log(`start to /readyz 200: ${startup.toFixed(0)} ms (median of 5)`);
    }
    let peer;
    if (want('peer')) {
      console.log(`peer comparison: ${ROUNDS} interleaved rounds of ${PEER_SECONDS} s per side, ${CONNECTIONS} connections`);
      peer = await peerComparison({ dir, rounds: ROUNDS, seconds: PEER_SECONDS, connections: CONNECTIONS });
    }
    let max;
    if (want('e2e-max')) {
      max = [];
      for (let round = 1; round <= ROUNDS; round++) {
        console.log(`end to end at the bridge's maximum, round ${round}: ${E2E_SECONDS} s, ${CONNECTIONS} connections, file + HTTP sink`);
        max.push(await e2eMax({ dir, start, stop, seconds: E2E_SECONDS, connections: CONNECTIONS }));
        console.log(JSON.stringify(max[max.length - 1]));
        if (process.env.BENCH_BRIDGE_BEFORE) {
          const before = await e2eMax({ dir, start, stop, seconds: E2E_SECONDS, connections: CONNECTIONS, root: process.env.BENCH_BRIDGE_BEFORE });
          console.log(`before: ${JSON.stringify(before)}`);
          (max.before ??= []).push(before);
        }
      }
    }
    let postgres;
    if (want('postgres')) {
      console.log(`ingest on PostgreSQL: ${ROUNDS} rounds × ${SECONDS} s per side, ${CONNECTIONS} connections`);
      const cluster = await require('../scripts/pg-cluster').start();
      try {
        const url = await cluster.database('bench');
        postgres = await ingestRatio(dir, `store: { driver: postgres, url: "${url}" }`);
        console.log('end to end on PostgreSQL to the file and HTTP sinks: 10 s at 1,000 events/s offered');
        postgres.e2e = await e2eLocal(dir, { url: await cluster.database('bench_e2e') });
        console.log(JSON.stringify(postgres.e2e));
      } finally {
        await cluster.stop();
      }
    }
    if (want('kafka')) {
      console.log('end to end to Kafka: 10 s at 1,000 events/s offered, then 10 s at full load (50 connections)');
      kafka = await e2eKafka({ dir, start, stop, seconds: 10 });
      console.log(JSON.stringify(kafka, null, 2));
    }
    if (want('console')) await require('./console').consoleBench({ dir, start, stop });
    report({ ingest, kafka, local, startup, postgres, peer, max });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
