import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServeLock, StoreInUseError } from './serve-lock';

describe('ServeLock (one server per SQLite file)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-serve-lock-'));
    db = join(dir, 'bridge.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const holder = (pid: number, host = hostname()) => writeFileSync(`${db}.serving`, JSON.stringify({ pid, host, since: 1 }));

  it('writes who serves, and gives the file back on release', () => {
    const lock = ServeLock.acquire(db)!;
    expect(JSON.parse(readFileSync(`${db}.serving`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(() => readFileSync(`${db}.serving`)).toThrow();
  });

  it('refuses while a live server on this host holds it (a Node process stands in for one)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      holder(other.pid!);
      expect(() => ServeLock.acquire(db)).toThrow(StoreInUseError);
      expect(() => ServeLock.acquire(db)).toThrow(`already served by another bridge (pid ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((done) => other.once('exit', done));
    }
    ServeLock.acquire(db)!.release(); // gone now: taken over
  });

  it('takes over from a process that is gone, from itself, and from an unreadable file', () => {
    for (const before of [() => holder(2 ** 22 + 7), () => holder(process.pid), () => writeFileSync(`${db}.serving`, 'not json')]) {
      before();
      ServeLock.acquire(db)!.release();
    }
  });

  it('refuses one held from another host (its process cannot be checked from here), saying how to clear it', () => {
    holder(1, 'another-host');
    expect(() => ServeLock.acquire(db)).toThrow(`served by a bridge on another-host (pid 1)`);
    expect(() => ServeLock.acquire(db)).toThrow(`delete ${db}.serving`);
  });

  it('leaves a file another server took over in place', () => {
    const lock = ServeLock.acquire(db)!;
    holder(4242);
    lock.release();
    expect(JSON.parse(readFileSync(`${db}.serving`, 'utf8')).pid).toBe(4242);
  });
});
