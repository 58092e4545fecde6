// End to end at the bridge's own maximum: 50 connections as fast as the bridge answers for 30 s (the load generator in
// its own process), every event to a file sink (fsync'd) and to a local HTTP receiver. Measures what was delivered
// while the load ran, what was still waiting when it ended (the backlog) and how long that took to drain.
const { spawn } = require('node:child_process');
const { createServer } = require('node:http');
const fs = require('node:fs');
const { join } = require('node:path');
const { bridgeArgs, cpuSeconds, peakRssMb, load, lines } = require('./proc');

const ROOT = join(__dirname, '..');
const SECRET = `e2e-bench-${process.pid}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An HTTP receiver in a child process of its own (so it does not share a thread with the bench's polling). */
async function receiver() {
  const code = `
    let n = 0;
    const server = require('node:http').createServer((req, res) => {
      if (req.method === 'GET') return res.end(String(n));
      req.resume();
      req.on('end', () => { n++; res.end('ok'); });
    });
    server.keepAliveTimeout = 30000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (c) => resolve(Number(String(c).trim()))));
  return { child, url: `http://127.0.0.1:${port}`, count: async () => Number(await (await fetch(`http://127.0.0.1:${port}/count`)).text()) };
}

async function e2eMax({ dir, start, stop, seconds = 30, connections = 50, root = ROOT }) {
  const hook = await receiver();
  const file = join(dir, `e2e-max-${Date.now()}.jsonl`);
  const config = join(dir, 'e2e-max.yaml');
  fs.writeFileSync(config, `
store: { path: "${dir}/e2e-max-${Date.now()}.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
sinks:
  events-file: { type: file, path: "${file}" }
  hook: { type: http, url: "${hook.url}/hook" }
routes: [{ name: all, match: { events: ["*"] }, to: [events-file, hook] }]
`);
  const bridge = await start(bridgeArgs(root), { BRIDGE_CONFIG: config, NODE_ENV: 'production', JOGG_WEBHOOK_SECRET: SECRET });
  try {
    const cpu0 = cpuSeconds(bridge.child.pid);
    const t0 = Date.now();
    const running = load(bridge.url, { secret: SECRET, seconds, connections, prefix: `e2e-${process.pid}` });
    const r = await running;
    const loadS = (Date.now() - t0) / 1000;
    const atEnd = { file: lines(file), http: await hook.count() };
    const accepted = r.ok2xx;
    const drainStart = Date.now();
    const drained = {};
    while (Date.now() - drainStart < 180_000 && (drained.file === undefined || drained.http === undefined)) {
      if (drained.file === undefined && lines(file) >= accepted) drained.file = Date.now() - drainStart;
      if (drained.http === undefined && (await hook.count()) >= accepted) drained.http = Date.now() - drainStart;
      await sleep(20);
    }
    const cpuS = cpuSeconds(bridge.child.pid) - cpu0;
    return {
      seconds, accepted, rps: r.rps, p99: r.p99, bad: r.non2xx + r.errors + r.timeouts, loadgenCpuS: r.loadgenCpuS,
      file: { deliveredPerS: atEnd.file / loadS, backlog: Math.max(0, accepted - atEnd.file), drainMs: drained.file ?? NaN },
      http: { deliveredPerS: atEnd.http / loadS, backlog: Math.max(0, accepted - atEnd.http), drainMs: drained.http ?? NaN },
      cpuPer10k: (cpuS / accepted) * 1e4, rssMb: peakRssMb(bridge.child.pid),
    };
  } finally {
    await stop(bridge);
    hook.child.kill('SIGTERM');
  }
}

module.exports = { e2eMax };
