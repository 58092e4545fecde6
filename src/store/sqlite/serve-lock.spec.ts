import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServeLock, servingBridge, StoreInUseError } from './serve-lock';

/** Another process that holds the store's lock (as a serving bridge does) until it is killed. */
async function otherHolder(db: string): Promise<ChildProcess> {
  const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(`${db}.serving-lock`)});
    d.pragma('locking_mode = EXCLUSIVE'); d.exec('BEGIN EXCLUSIVE'); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '..', '..', '..') });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((done) => child.once('exit', done));
}

describe('ServeLock (one server per SQLite file)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-serve-lock-'));
    db = join(dir, 'bridge.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const holder = (pid: number, host = hostname()) => writeFileSync(`${db}.serving`, JSON.stringify({ pid, host, since: 1 }));

  it('writes who serves, answers who serves, and gives both back on release', () => {
    expect(servingBridge(db)).toBeUndefined();
    const lock = ServeLock.acquire(db)!;
    expect(JSON.parse(readFileSync(`${db}.serving`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(servingBridge(db)).toMatchObject({ pid: process.pid });
    lock.release();
    expect(() => readFileSync(`${db}.serving`)).toThrow();
    expect(servingBridge(db)).toBeUndefined();
  });

  it('refuses while another process holds the lock, names it, and takes over once that process is killed (-9)', async () => {
    const other = await otherHolder(db);
    try {
      holder(other.pid!);
      expect(() => ServeLock.acquire(db)).toThrow(StoreInUseError);
      expect(() => ServeLock.acquire(db)).toThrow(`already served by another bridge (pid ${other.pid}, since`);
      expect(servingBridge(db)).toMatchObject({ pid: other.pid });
    } finally {
      await kill(other);
    }
    // the operating system let the lock go with the process; the holder file it left says nothing any more
    expect(servingBridge(db)).toBeUndefined();
    ServeLock.acquire(db)!.release();
  });

  it('takes over whatever a stale holder file says: a live process that holds no lock (a reused pid), another host (a recreated container), no JSON', async () => {
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      for (const before of [() => holder(unrelated.pid!), () => holder(1, 'a-container-gone'), () => writeFileSync(`${db}.serving`, 'not json')]) {
        before();
        expect(servingBridge(db)).toBeUndefined();
        ServeLock.acquire(db)!.release();
      }
    } finally {
      await kill(unrelated);
    }
  });

  it('is shared by the users in one process (a store opened twice), and given back by the last', () => {
    const first = ServeLock.acquire(db)!;
    const second = ServeLock.acquire(db)!;
    first.release();
    expect(servingBridge(db)).toMatchObject({ pid: process.pid });
    second.release();
    expect(servingBridge(db)).toBeUndefined();
  });

  it('leaves a holder file another server wrote in place', () => {
    const lock = ServeLock.acquire(db)!;
    holder(4242);
    lock.release();
    expect(JSON.parse(readFileSync(`${db}.serving`, 'utf8')).pid).toBe(4242);
  });
});
