import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

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
 * keeps house, all on the assumption that no other server uses the file. The lock file beside the database
 * (`<db>.serving`: pid, host, since) says who serves it; a second server on the same host is refused while that
 * process lives, and takes over when it is gone (a crash leaves the file behind). Tools (the CLI) take no lock.
 */
export class ServeLock {
  private constructor(private readonly file: string, private readonly holder: Holder) {}

  static acquire(dbPath: string): ServeLock | undefined {
    const file = `${dbPath}.serving`;
    const me: Holder = { pid: process.pid, host: hostname(), since: Date.now() };
    try {
      // on a first start the store's folder does not exist yet: the lock file is the first thing in it
      mkdirSync(dirname(dbPath), { recursive: true });
    } catch {
      return undefined; // opening the database says what is wrong with the folder
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        try {
          writeSync(fd, JSON.stringify(me));
        } finally {
          closeSync(fd);
        }
        return new ServeLock(file, me);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') return undefined; // a directory we cannot write to: SQLite itself will say what is wrong
      }
      const other = readHolder(file);
      if (other && other.pid !== process.pid) {
        if (other.host !== me.host) {
          throw new StoreInUseError(`the SQLite store ${dbPath} is served by a bridge on ${other.host} (pid ${other.pid}) since ` +
            `${new Date(other.since).toISOString()}; SQLite takes one serving instance (use PostgreSQL for several). If that bridge is gone, delete ${file}`);
        }
        if (alive(other.pid)) {
          throw new StoreInUseError(`the SQLite store ${dbPath} is already served by another bridge (pid ${other.pid}, since ` +
            `${new Date(other.since).toISOString()}); SQLite takes one serving instance: stop that one first, or use PostgreSQL to run several`);
        }
      }
      // the holder is gone (a crash) or is this process: take over
      try {
        writeFileSync(file, JSON.stringify(me));
        return new ServeLock(file, me);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    const holder = readHolder(this.file);
    if (!holder || holder.pid !== this.holder.pid || holder.since !== this.holder.since) return;
    try {
      unlinkSync(this.file);
    } catch {
      // read-only by now (a full or frozen disk): the next start finds this process gone and takes over
    }
  }
}

/**
 * The bridge serving the SQLite store now, as its lock file says: a live process on this host, or one on another host
 * (which cannot be checked from here). Undefined when none does (no lock file, or its process is gone).
 */
export function servingBridge(dbPath: string): Holder | undefined {
  const holder = readHolder(`${dbPath}.serving`);
  if (!holder) return undefined;
  return holder.host !== hostname() || alive(holder.pid) ? holder : undefined;
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder?.pid) && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process lives and is a Node process (a reused pid of something else is not a bridge). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}
