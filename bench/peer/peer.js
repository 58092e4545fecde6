// The peer comparison: the bridge (its shipped config/bridge.yaml: SQLite synchronous=FULL, every event to the file
// sink) against Benthos (http_server → HMAC in bloblang → file; no fsync, no dedupe) and a bare node:http server
// (HMAC + JSON.parse, writes nothing). Rounds are interleaved, order rotated; each run is a fresh process in a fresh
// scratch directory, warmed up, then measured with the load generator in its own process.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');
const { bridgeArgs, cpuSeconds, peakRssMb, load, lines } = require('../proc');

const ROOT = join(__dirname, '..', '..');
/** Another built checkout of the bridge (e.g. the previous release) to run as a side of its own, "before". */
const BEFORE = process.env.BENCH_BRIDGE_BEFORE;
const SECRET = `peer-bench-${process.pid}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The Benthos binary, built (once, cached outside the repository) when Go is installed; undefined with the reason otherwise. */
function benthosBinary() {
  const r = spawnSync('bash', [join(__dirname, 'build-benthos.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0) return { bin: r.stdout.trim().split('\n').pop() };
  return { skipped: r.status === 3 ? 'Go is not installed, so Benthos was not built: its side is skipped' : `Benthos could not be built: ${r.stderr.trim().split('\n').pop()}` };
}

async function freePort() {
  const net = require('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sideSpec(name, dir, port, benthos) {
  const env = { ...process.env, PORT: String(port), JOGG_WEBHOOK_SECRET: SECRET };
  delete env.NODE_ENV;
  delete env.BRIDGE_CONFIG;
  if (name === 'bridge' || name === 'before') {
    const root = name === 'before' ? BEFORE : ROOT;
    fs.mkdirSync(join(dir, 'config'), { recursive: true });
    fs.copyFileSync(join(root, 'config', 'bridge.yaml'), join(dir, 'config', 'bridge.yaml'));
    return { cmd: process.execPath, args: bridgeArgs(root), env, output: join(dir, 'data', 'events.jsonl') };
  }
  if (name === 'benthos') {
    const output = join(dir, 'events.jsonl');
    return { cmd: benthos, args: ['-c', join(__dirname, 'benthos.yaml')], env: { ...env, OUT_PATH: output }, output };
  }
  return { cmd: process.execPath, args: [join(__dirname, 'bare-server.js')], env };
}

async function reachable(url, child) {
  for (const t0 = Date.now(); Date.now() - t0 < 30_000; await sleep(50)) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/webhooks/jogg`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false)) return;
  }
  throw new Error('server not reachable');
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => resolve(clearTimeout(kill)));
    child.kill('SIGTERM');
  });
}

/** Waits until the output file holds `expected` lines (or stops growing for 10 s); returns the ms it took. */
async function drain(file, expected) {
  const t0 = Date.now();
  let last = -1;
  let since = t0;
  for (;;) {
    const n = lines(file);
    if (n !== last) [last, since] = [n, Date.now()];
    if (n >= expected) return Date.now() - t0;
    if (Date.now() - since > 10_000) return NaN;
    await sleep(50);
  }
}

async function run(round, name, opts, benthos) {
  const dir = fs.mkdtempSync(join(opts.dir, `${name}-`));
  const port = await freePort();
  const spec = sideSpec(name, dir, port, benthos);
  const log = fs.openSync(join(dir, 'server.log'), 'w');
  const child = spawn(spec.cmd, spec.args, { cwd: dir, env: spec.env, stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await reachable(url, child);
    const prefix = `r${round}-${name}-${process.pid}`;
    const warm = await load(url, { secret: SECRET, seconds: opts.warmS, connections: opts.connections, prefix: `${prefix}-w` });
    if (spec.output) await drain(spec.output, warm.ok2xx);
    await sleep(300);
    const cpu0 = cpuSeconds(child.pid);
    const r = await load(url, { secret: SECRET, seconds: opts.seconds, connections: opts.connections, prefix: `${prefix}-m` });
    const atEnd = spec.output ? lines(spec.output) - warm.ok2xx : undefined;
    const drainMs = spec.output ? await drain(spec.output, warm.ok2xx + r.ok2xx) : undefined;
    const cpuS = cpuSeconds(child.pid) - cpu0;
    const result = {
      round, name, rps: r.rps, p50: r.p50, p99: r.p99, bad: r.non2xx + r.errors + r.timeouts, accepted: r.ok2xx,
      cpuPer10k: (cpuS / r.ok2xx) * 1e4, rssMb: peakRssMb(child.pid), loadgenCpuS: r.loadgenCpuS,
      deliveredAtEnd: atEnd === undefined ? undefined : atEnd / r.ok2xx, drainMs,
    };
    console.log(`  round ${round} ${name.padEnd(8)} ${result.rps.toFixed(0).padStart(6)} req/s  p99 ${r.p99} ms  bad ${result.bad}  CPU s/10k ${result.cpuPer10k.toFixed(2)}` +
      `  peak RSS ${result.rssMb.toFixed(0)} MB  load generator ${r.loadgenCpuS.toFixed(1)} CPU-s` +
      (atEnd === undefined ? '' : `  in file at load end ${(100 * result.deliveredAtEnd).toFixed(0)} %, drained ${drainMs} ms later`));
    return result;
  } finally {
    await stop(child);
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every round of every side; `benthos` notes why that side is missing when it is. */
async function peerComparison({ dir, rounds = 3, seconds = 10, warmS = 2, connections = 50 }) {
  const built = benthosBinary();
  if (built.skipped) console.log(`  note: ${built.skipped}`);
  const only = process.env.BENCH_PEER_SIDES?.split(',');
  const sides = ['bridge', ...(BEFORE ? ['before'] : []), ...(built.bin ? ['benthos'] : []), 'bare'].filter((side) => !only || only.includes(side));
  const runs = [];
  for (let round = 1; round <= rounds; round++) {
    const order = sides.map((_, i) => sides[(i + round - 1) % sides.length]);
    for (const name of order) runs.push(await run(round, name, { dir, seconds, warmS, connections }, built.bin));
  }
  return { runs, sides, skipped: built.skipped, rounds, seconds, connections };
}

module.exports = { peerComparison };
