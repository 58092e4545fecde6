// What the bench reads about a server process from /proc (Linux): CPU seconds (all threads) and peak RSS.
const { readFileSync } = require('node:fs');
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const TICK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK; // utime + stime
  } catch {
    return NaN;
  }
}

/** Peak resident set size (VmHWM) of a process, in MB. */
function peakRssMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/**
 * The arguments `npm start` gives node to run the bridge at `root` (its V8 flags, then dist/main.js), so every
 * bench runs the bridge as shipped: `exec node --flag dist/main.js` → ['--flag', '<root>/dist/main.js'].
 */
function bridgeArgs(root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const words = start.split(/\s+/).filter((w) => w && w !== 'exec');
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/main.js') throw new Error(`unexpected start script: ${start}`);
  return [...words.slice(1, -1), join(root, 'dist', 'main.js')];
}

/** Runs bench/load.js in a child process; resolves to its figures. `rate`: overall requests/s (omit for as fast as it goes). */
function load(url, { secret, seconds, connections = 50, prefix, rate, dupPool }) {
  const args = [join(__dirname, 'load.js'), url.replace(/\/webhooks\/jogg$/, ''), secret, String(seconds), String(connections), prefix];
  if (rate) args.push(String(rate));
  const child = spawn(process.execPath, args, { env: { ...process.env, DUP_POOL: dupPool ? String(dupPool) : '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => child.on('exit', (code) => {
    if (code !== 0) return reject(new Error(`load generator failed: ${err}`));
    resolve(JSON.parse(out.trim().split('\n').pop()));
  }));
}

/** Lines in a file so far (newline bytes), cheap enough to poll. */
function lines(file) {
  try {
    const b = readFileSync(file);
    let n = 0;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
    return n;
  } catch {
    return 0;
  }
}

module.exports = { cpuSeconds, peakRssMb, load, bridgeArgs, lines };
