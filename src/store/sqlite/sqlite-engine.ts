import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Database as Db } from 'better-sqlite3';
import { Batcher, Outcome } from '../../common/batcher';
import { migrate } from '../migrate';
import { StoreUnavailableError } from '../store.types';
import { WriteHealth } from '../write-health';
import { SQLITE_MIGRATIONS, sqliteMigrationDriver } from './migrations';
import { openDatabase } from './sqlite-connection';
import { ServeLock } from './serve-lock';
import { SqliteWriter, WriteOp, WriteResult } from './sqlite-writer';

export interface SqliteOptions {
  /**
   * The serving process owns the queue: at open it releases leases left by a previous run of itself
   * (SQLite is single-instance, so no other dispatcher can hold them).
   */
  owner?: boolean;
  /** Extra PRAGMA statements for both connections (e.g. "cache_size = -20000"). */
  pragmas?: string[];
}

/**
 * What the SQLite adapters share: a connection for reads on the main thread, and a writer thread that the
 * writes go to. Writes that queue up while a commit is in progress are committed together in one transaction
 * (group commit, by the Batcher), so the main thread never waits on an fsync.
 */
export class SqliteEngine {
  /** Commits and writes so far; writes / batches is the mean group size. */
  readonly stats = { batches: 0, writes: 0 };
  readonly health = new WriteHealth();
  private worker?: Worker;
  /** The serving process's checkpointer thread (see checkpointer.worker.ts). */
  private checkpointer?: Worker;
  /** The batch the writer thread holds, settled by its answer or by its death. */
  private inFlight?: { ops: readonly WriteOp[]; done: (message: WriterMessage) => void };
  private closed = false;
  private readonly batcher = new Batcher<WriteOp, unknown>({
    flush: (ops) => this.commit(ops),
    gather: () => new Promise<void>((done) => queueMicrotask(done)),
  });

  private constructor(readonly path: string, readonly db: Db, private readonly options: SqliteOptions, private readonly lock?: ServeLock) {}

  /**
   * Opens the database, brings its schema up to date, and (as the owner) takes the serving lock (a second server on
   * the file is refused) and frees the leases of a previous run.
   */
  static async open(path: string, options: SqliteOptions = {}): Promise<SqliteEngine> {
    const lock = options.owner && path !== ':memory:' ? ServeLock.acquire(path) : undefined;
    let db: Db | undefined;
    try {
      db = openDatabase(path, options.pragmas);
    } catch (error) {
      lock?.release();
      throw cannotOpen(path, error as NodeJS.ErrnoException);
    }
    try {
      await migrate(SQLITE_MIGRATIONS, sqliteMigrationDriver(db));
      if (options.owner) new SqliteWriter(db).releaseLeases();
    } catch (error) {
      db.close();
      lock?.release();
      throw error;
    }
    const engine = new SqliteEngine(path, db, options, lock);
    if (options.owner && path !== ':memory:') engine.startCheckpointer();
    return engine;
  }

  /** Queues a write for the writer thread; resolves once its group is committed. */
  write<T>(op: WriteOp): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(new Error('store is closed')));
    return this.batcher.add(op) as Promise<T>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batcher.drained();
    await this.worker?.terminate();
    this.worker = undefined;
    await this.checkpointer?.terminate();
    this.checkpointer = undefined;
    this.db.close();
    this.lock?.release();
  }

  private async commit(ops: readonly WriteOp[]): Promise<Outcome<unknown>[]> {
    const worker = this.writer();
    worker.ref();
    const message = await new Promise<WriterMessage>((done) => {
      this.inFlight = { ops, done };
      worker.postMessage(JSON.stringify(ops));
    });
    if (!message.fatal?.died) {
      this.stats.batches += 1;
      this.stats.writes += ops.length;
    }
    if (!this.batcher.queued) this.worker?.unref();
    if (message.fatal) {
      const failure = new StoreUnavailableError(Object.assign(new Error(message.fatal.message), { code: message.fatal.code }));
      this.health.failed(failure);
      throw failure;
    }
    // only an event written proves there is room again: claims and settles are smaller and can fit before
    if (message.results!.some((r, i) => r.ok && ops[i].kind === 'ingest')) this.health.succeeded();
    return message.results!.map((r) => (r.ok ? r : { ok: false, error: Object.assign(new Error(r.error.message), { code: r.error.code }) }));
  }

  private settleInFlight(message: WriterMessage): void {
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    inFlight?.done(message);
  }

  private writer(): Worker {
    if (this.worker) return this.worker;
    // a small young generation: the thread's garbage is short-lived JSON text, and a large one only raises the peak RSS
    // with a checkpointer thread, the writer's own checkpoints are only a backstop
    const pragmas = [...(this.checkpointer ? [`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`] : []), ...(this.options.pragmas ?? [])];
    const worker = new Worker(workerFile('sqlite-writer.worker.js'), { workerData: { path: this.path, pragmas }, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    worker.on('message', (text: string) => this.settleInFlight(JSON.parse(text) as WriterMessage));
    worker.on('error', (error) => this.onWorkerDeath(worker, error));
    worker.on('exit', (code) => this.onWorkerDeath(worker, new Error(`writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private startCheckpointer(): void {
    const worker = new Worker(workerFile('checkpointer.worker.js'), { workerData: { path: this.path, everyMs: CHECKPOINT_EVERY_MS }, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
    // a checkpointer that died leaves checkpoints to the writer's backstop: nothing to fail, nothing to wait for
    worker.on('error', () => undefined);
    worker.unref();
    this.checkpointer = worker;
  }

  /** The writer thread died: fail the batch it held (so callers answer 503) and start afresh on the next write. */
  private onWorkerDeath(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.settleInFlight({ fatal: { message: error.message, died: true } });
  }
}

interface WriterMessage {
  results?: WriteResult[];
  fatal?: { message: string; code?: string; died?: boolean };
}

/** Opening the file failed: say which file, and what usually causes it, in one line. */
function cannotOpen(path: string, error: NodeJS.ErrnoException): Error {
  const reasons: Record<string, string> = {
    SQLITE_CANTOPEN: 'SQLite cannot create or open it (is its folder missing, read-only or not a folder?)',
    SQLITE_NOTADB: 'it is not an SQLite database',
    SQLITE_CORRUPT: 'the database file is damaged',
    SQLITE_READONLY: 'it is read-only',
    EEXIST: 'a part of its folder path is a file, not a folder',
    ENOTDIR: 'a part of its folder path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    /* missing, or a part of its path is not a folder: the error's code says which */
  }
  const reason = isFolder ? 'it is a folder, not a file' : (error.code && reasons[error.code]) ?? error.message;
  return Object.assign(new Error(`cannot open the SQLite store ${path}: ${reason}${error.code ? ` (${error.code})` : ''}`), { code: error.code, cause: error });
}

/** How often the checkpointer copies the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/** The writer checkpoints itself only past this many WAL pages (about 40 MB), should the checkpointer fall behind. */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

/** A compiled worker thread of this folder; when running from TypeScript sources (tests), the build's copy. */
function workerFile(name: string): string {
  const beside = join(__dirname, name);
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', name);
}
