#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temp dir, started as an
// unprivileged OS user (PostgreSQL refuses to run as root) on a free loopback port, removed afterwards.
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir, userInfo } = require('node:os');
const { join } = require('node:path');
const { freePort } = require('./free-port');

function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL server is not installed (apt-get install postgresql)');
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return join(root, version, 'bin');
}

/** Runs a PostgreSQL binary as the unprivileged user when we are root. */
function run(bin, args, user) {
  const command = join(binDir(), bin);
  const result = user ? spawnSync('runuser', ['-u', user, '--', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${bin} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * Like run, without blocking the event loop (a test keeps sending while the server restarts). Output is not
 * captured: a server that pg_ctl starts would hold the pipe open for its whole life.
 */
function runAsync(bin, args, user) {
  const command = join(binDir(), bin);
  const [file, argv] = user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args[args.length - 1]} failed with ${code}`))));
  });
}

/** Starts a throw-away cluster; `settings` are extra server settings (name → value), e.g. for profiling. */
async function start(settings = {}) {
  const root = userInfo().uid === 0;
  const user = root ? 'postgres' : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'jogg-pg-'));
  chmodSync(dir, 0o777);
  if (root) {
    const id = (flag) => Number(execFileSync('id', [flag, user]).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'bridge', '--auth=trust', '-E', 'UTF8', '--no-sync'], user);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100${Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('')}`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start'], user);
  const url = (database) => `postgres://bridge@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    /** A fresh, empty database. */
    async database(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'bridge', name], user);
      return url(name);
    },
    /** Restarts the server the way an operator does (`pg_ctl restart -m fast`: sessions are ended). */
    restart() {
      return runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-l', join(dir, 'server.log'), '-w', 'restart'], user);
    },
    /** Stops the server (fast: sessions are ended); `startServer` brings it back with the same data. */
    stopServer() {
      return runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], user);
    },
    startServer() {
      return runAsync('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start'], user);
    },
    async stop() {
      try {
        // a test may end while the server is stopped
        if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], user);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

module.exports = { start };

if (require.main === module) {
  start().then((pg) => {
    console.log(`PostgreSQL ready: ${pg.url('postgres')} (Ctrl-C stops and removes it)`);
    const stop = () => pg.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
