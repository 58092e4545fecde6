import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Database as Db } from 'better-sqlite3';
import {
  Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, EndpointSecret, EventQuery, EventStore, IngestResult, NewEvent,
  ReplayFilter, SettleRequest, StoredEvent, StoreUnavailableError, WriteHealth,
} from '../event-store';
import { AttemptRow, DeliveryRow, EventRow, toAttempt, toDelivery, toEvent } from './sqlite.mapper';
import { migrate, openDatabase, SqliteWriter, WriteOp, WriteResult } from './sqlite-writer';
import { AlertGroup } from '../alert-groups';
import { SqliteAlertGroups } from './sqlite-groups';
import { SqliteSilences } from './sqlite-silences';
import { Silence } from '../silences';

export interface SqliteOptions {
  /**
   * The serving process owns the queue: at open it releases leases left by a previous run of itself
   * (SQLite is single-instance, so no other dispatcher can hold them).
   */
  owner?: boolean;
  /** Extra PRAGMA statements for both connections (e.g. "cache_size = -20000"). */
  pragmas?: string[];
}

interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite adapter: WAL with synchronous=FULL, so a resolved write survives a crash. Writes go to a
 * writer thread; those that queue up while a commit is in progress are committed together in one
 * transaction (group commit), so the main thread never waits on an fsync. Reads use a connection of
 * their own on the main thread.
 */
export class SqliteEventStore extends EventStore {
  /** Commits and writes so far; writes / batches is the mean group size. */
  readonly stats = { batches: 0, writes: 0 };
  private readonly db: Db;
  private worker?: Worker;
  private queue: PendingWrite[] = [];
  private inFlight?: PendingWrite[];
  private scheduled = false;
  private closed = false;
  private drained?: () => void;
  private readonly health = new WriteHealth();
  /** alerting: the groups port, on this store's connections. */
  readonly groups: SqliteAlertGroups;
  /** alerting: the silences port. */
  readonly silences: SqliteSilences;

  constructor(readonly path: string, private readonly options: SqliteOptions = {}) {
    super();
    this.db = openDatabase(path, options.pragmas);
    migrate(this.db);
    this.groups = new SqliteAlertGroups(
      this.db,
      (now) => this.write<AlertGroup[]>({ kind: 'flushGroups', now }),
      (sink, key, periodEnd, now) => this.write<AlertGroup | null>({ kind: 'emptyDigest', sink, key, periodEnd, now }),
    );
    this.silences = new SqliteSilences(this.db, {
      add: (silence, now) => this.write<Silence>({ kind: 'addSilence', silence, now }),
      expire: (id, now) => this.write<boolean>({ kind: 'expireSilence', id, now }),
    });
    if (options.owner) new SqliteWriter(this.db).releaseLeases();
  }

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.write({ kind: 'ingest', event });
  }

  claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.write({ kind: 'claim', sink, limit, now, leaseMs });
  }

  settle({ delivery, startedAt, finishedAt, result }: SettleRequest): Promise<boolean> {
    return this.write({ kind: 'settle', id: delivery.id, token: delivery.leaseToken, nextAt: delivery.nextAt, startedAt, finishedAt, result });
  }

  release(claims: readonly { id: number; leaseToken: string }[]): Promise<number> {
    if (!claims.length) return Promise.resolve(0);
    return this.write({ kind: 'release', claims: claims.map(({ id, leaseToken }) => ({ id, leaseToken })) });
  }

  replay(filter: ReplayFilter, now: number): Promise<number> {
    return this.write({ kind: 'replay', filter, now });
  }

  async openCircuit(sink: string, openedAt: number): Promise<void> {
    await this.write({ kind: 'openCircuit', sink, openedAt });
  }

  closeCircuit(sink: string, openedAt: number, now: number): Promise<number> {
    return this.write({ kind: 'closeCircuit', sink, openedAt, now });
  }

  async openCircuits(): Promise<{ sink: string; openedAt: number }[]> {
    return this.db.prepare(`SELECT sink, opened_at AS openedAt FROM sink_circuits ORDER BY sink`).all() as { sink: string; openedAt: number }[];
  }

  deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number> {
    return this.write({ kind: 'deadLetterUnknownSinks', known, now });
  }

  async deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]> {
    return this.db.prepare(`SELECT sink, status, COUNT(*) AS count FROM deliveries GROUP BY sink, status`).all() as {
      sink: string; status: DeliveryStatus; count: number;
    }[];
  }

  async saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void> {
    if (secrets.length) await this.write({ kind: 'saveSecrets', secrets: secrets.map(({ endpoint, endpointId, secret }) => ({ endpoint, endpointId, secret })), now });
  }

  async forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length) await this.write({ kind: 'forgetSecrets', endpointIds });
  }

  async listEndpointSecrets(): Promise<EndpointSecret[]> {
    return (this.db.prepare(`SELECT endpoint, endpoint_id AS endpointId, secret FROM endpoint_secrets ORDER BY captured_at, endpoint_id`).all() as EndpointSecret[]);
  }

  async saveRotation(rotation: { name: string; until: number }): Promise<void> {
    await this.write({ kind: 'saveRotation', name: rotation.name, until: rotation.until });
  }

  async endRotation(name: string): Promise<void> {
    await this.write({ kind: 'endRotation', name });
  }

  async listRotations(): Promise<{ name: string; until: number }[]> {
    return this.db.prepare(`SELECT name, until FROM rotations ORDER BY name`).all() as { name: string; until: number }[];
  }

  /** SQLite serves one instance, which always leads. */
  async acquireLeadership(): Promise<boolean> {
    return true;
  }

  purgeDelivered(before: number): Promise<number> {
    return this.write({ kind: 'purge', before });
  }

  /** A real write (the heartbeat row), and no write refused in the last seconds. */
  async ping(): Promise<void> {
    await this.write({ kind: 'ping' });
    this.health.check();
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = this.db.prepare(`SELECT * FROM events WHERE id = ?`).get(id) as EventRow | undefined;
    return row && toEvent(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = this.db
      .prepare(`SELECT * FROM events WHERE (@event IS NULL OR event = @event) AND (@since IS NULL OR received_at >= @since)
                AND (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit`)
      .all({ event: query.event ?? null, since: query.since ?? null, before: query.before ?? null, limit: query.limit ?? 100 }) as EventRow[];
    return rows.map(toEvent);
  }

  async getDelivery(id: number): Promise<Delivery | undefined> {
    const row = this.db.prepare(`SELECT * FROM deliveries WHERE id = ?`).get(id) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  async listDeliveries(query: DeliveryQuery): Promise<Delivery[]> {
    const rows = this.db
      .prepare(`SELECT * FROM deliveries WHERE (@status IS NULL OR status = @status) AND (@sink IS NULL OR sink = @sink)
                AND (@event_pk IS NULL OR event_pk = @event_pk) AND (@since IS NULL OR updated_at >= @since)
                AND (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit`)
      .all({
        status: query.status ?? null, sink: query.sink ?? null, event_pk: query.eventPk ?? null,
        since: query.since ?? null, before: query.before ?? null, limit: query.limit ?? 100,
      }) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: number): Promise<Attempt[]> {
    const rows = this.db.prepare(`SELECT * FROM attempts WHERE delivery_id = ? ORDER BY attempt`).all(deliveryId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, retrying: 0, delivered: 0, dead: 0, silenced: 0 };
    const rows = this.db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as { status: DeliveryStatus; n: number }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight || this.queue.length) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.worker?.terminate();
    this.worker = undefined;
    this.db.close();
  }

  private write<T>(op: WriteOp): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(new Error('store is closed')));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        queueMicrotask(() => this.send());
      }
    });
  }

  private send(): void {
    this.scheduled = false;
    if (this.inFlight || !this.queue.length) return;
    this.inFlight = this.queue;
    this.queue = [];
    const worker = this.writer();
    worker.ref();
    worker.postMessage(JSON.stringify(this.inFlight.map((p) => p.op)));
  }

  private onResult(text: string): void {
    const message = JSON.parse(text) as { results?: WriteResult[]; fatal?: { message: string; code?: string } };
    const batch = this.inFlight ?? [];
    this.inFlight = undefined;
    this.stats.batches += 1;
    this.stats.writes += batch.length;
    if (message.fatal) {
      const failure = new StoreUnavailableError(Object.assign(new Error(message.fatal.message), { code: message.fatal.code }));
      this.health.failed(failure);
      batch.forEach((p) => p.reject(failure));
    } else {
      // only an event written proves there is room again: claims and settles are smaller and can fit before
      if (message.results!.some((r, i) => r.ok && batch[i].op.kind === 'ingest')) this.health.succeeded();
      message.results!.forEach((r, i) =>
        r.ok ? batch[i].resolve(r.value) : batch[i].reject(Object.assign(new Error(r.error.message), { code: r.error.code })),
      );
    }
    this.afterBatch();
  }

  private afterBatch(): void {
    if (this.queue.length) return this.send();
    this.worker?.unref();
    this.drained?.();
  }

  private writer(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerFile(), { workerData: { path: this.path, pragmas: this.options.pragmas ?? [] } });
    worker.on('message', (message) => this.onResult(message));
    worker.on('error', (error) => this.onWorkerDeath(worker, error));
    worker.on('exit', (code) => this.onWorkerDeath(worker, new Error(`writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** The writer thread died: fail the batch it held (so callers answer 503) and start afresh on the next write. */
  private onWorkerDeath(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const batch = this.inFlight ?? [];
    this.inFlight = undefined;
    const failure = new StoreUnavailableError(error);
    this.health.failed(failure);
    batch.forEach((p) => p.reject(failure));
    this.afterBatch();
  }
}

/** The compiled writer thread; when running from TypeScript sources (tests), the build's copy. */
function workerFile(): string {
  const beside = join(__dirname, 'sqlite-writer.worker.js');
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '..', '..', '..', 'dist', 'store', 'sqlite', 'sqlite-writer.worker.js');
}
