import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import Database, { Database as Db } from 'better-sqlite3';

export interface Holder {
  pid: number;
  host: string;
  since: number;
}

/** A second bridge serving the same SQLite file: refused at start (it would free the first one's leases and send twice). */
export class StoreInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreInUseError';
  }
}

/**
 * SQLite is for one serving instance: the server that owns the store frees leases a previous run left, leads, and
 * keeps house, all on the assumption that no other server uses the file. The serving process holds an exclusive
 * lock on `<db>.serving-lock` (a small SQLite file: SQLite's own file lock) for as long as it runs. The operating
 * system lets it go when the process ends however it ends (a crash, `kill -9`), so no stale lock outlives its
 * holder, whatever became of its pid or its host name (a recreated container). `<db>.serving` (pid, host, since)
 * only says who holds it. Tools (the CLI) take no lock; they can ask whether one is held (servingBridge).
 */
export class ServeLock {
  private constructor(private readonly key: string, private readonly file: string, private readonly holder: Holder) {}

  static acquire(dbPath: string): ServeLock | undefined {
    const key = resolve(dbPath);
    const file = `${dbPath}.serving`;
    const me: Holder = { pid: process.pid, host: hostname(), since: Date.now() };
    const mine = held.get(key);
    if (mine) {
      // this process serves it already (a store opened twice): one more user of the same lock
      mine.users += 1;
      return new ServeLock(key, file, mine.holder);
    }
    try {
      // on a first start the store's folder does not exist yet: the lock is the first thing in it
      mkdirSync(dirname(dbPath), { recursive: true });
    } catch {
      return undefined; // opening the database says what is wrong with the folder
    }
    const lock = takeLock(`${dbPath}.serving-lock`, true);
    if (lock === 'busy') {
      const other = readHolder(file);
      const who = other ? `another bridge (pid ${other.pid}${other.host !== me.host ? ` on ${other.host}` : ''}, since ${new Date(other.since).toISOString()})` : 'another bridge';
      throw new StoreInUseError(`the SQLite store ${dbPath} is already served by ${who}; SQLite takes one serving instance: stop that one first, or use PostgreSQL to run several`);
    }
    if (!lock) return undefined; // a folder we cannot write to: SQLite itself will say what is wrong
    held.set(key, { db: lock, users: 1, holder: me });
    try {
      writeFileSync(file, JSON.stringify(me));
    } catch {
      // who holds it is only information: the lock is what counts
    }
    return new ServeLock(key, file, me);
  }

  /** Gives the lock back (the last user in this process), and the holder file if it is still ours. */
  release(): void {
    const mine = held.get(this.key);
    if (!mine || (mine.users -= 1) > 0) return;
    held.delete(this.key);
    const holder = readHolder(this.file);
    if (holder && holder.pid === this.holder.pid && holder.since === this.holder.since) {
      try {
        unlinkSync(this.file);
      } catch {
        // read-only by now (a full or frozen disk): only information, and the lock goes with the process
      }
    }
    try {
      mine.db.close(); // the lock file stays: removing it could let two processes lock two different files
    } catch {
      /* closing cannot fail in a way that matters: the lock goes with the process */
    }
  }
}

/** This process's own locks, by the database's absolute path. */
const held = new Map<string, { db: Db; users: number; holder: Holder }>();

/**
 * The bridge serving the SQLite store now: one holds its lock (this process, or another on this host or one sharing
 * the file system). Undefined when none does.
 */
export function servingBridge(dbPath: string): Holder | undefined {
  const mine = held.get(resolve(dbPath));
  if (mine) return mine.holder;
  const probe = takeLock(`${dbPath}.serving-lock`, false);
  if (probe !== 'busy') {
    if (probe) probe.close();
    return undefined;
  }
  return readHolder(`${dbPath}.serving`) ?? { pid: 0, host: 'unknown', since: 0 };
}

/**
 * Takes the exclusive lock of `path` (kept until the connection closes), 'busy' when another process holds it, or
 * undefined when the file cannot be opened (or, unless `create`, does not exist). A probe that meets a starting
 * bridge is retried a few times over 100 ms, so the two do not take each other for a holder.
 */
function takeLock(path: string, create: boolean): Db | 'busy' | undefined {
  for (let attempt = 0; ; attempt++) {
    let db: Db;
    try {
      db = new Database(path, { timeout: 0, fileMustExist: !create });
    } catch {
      return undefined;
    }
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      return db;
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') return undefined;
      if (attempt >= 4) return 'busy';
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder?.pid) && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}
