import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database, { Database as Db, Statement } from 'better-sqlite3';
import {
  Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, EventQuery, EventStore, IngestResult, NewEvent,
  ReplayFilter, SettleRequest, StoredEvent, StoreUnavailableError,
} from '../event-store';
import { SQLITE_MIGRATIONS } from './migrations';
import { AttemptRow, DeliveryRow, EventRow, toAttempt, toDelivery, toEvent } from './sqlite.mapper';

const WAITING = `status IN ('pending', 'retrying')`;

interface QueuedWrite {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface SqliteOptions {
  /**
   * The serving process owns the queue: at open it releases leases left by a previous run of itself
   * (SQLite is single-instance, so no other dispatcher can hold them).
   */
  owner?: boolean;
}

/**
 * SQLite adapter: WAL with synchronous=FULL, so a resolved write survives a crash. Writes that arrive
 * in the same turn of the event loop share one transaction (group commit); each runs in its own
 * savepoint so one failing write does not undo the others.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Db;
  private readonly stmts: ReturnType<typeof prepare>;
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private closed = false;

  constructor(readonly path: string, options: SqliteOptions = {}) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmts = prepare(this.db);
    if (options.owner) this.db.prepare(`UPDATE deliveries SET lease_until = NULL, lease_token = NULL WHERE lease_until IS NOT NULL`).run();
  }

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.write(() => {
      const inserted = this.stmts.insertEvent.get({
        dedupe_key: event.dedupeKey, event_id: event.eventId ?? null, event: event.event, endpoint: event.endpoint,
        timestamp: event.timestamp, received_at: event.receivedAt, routed: event.deliveries.length, body: event.body,
      }) as { id: number } | undefined;
      if (!inserted) {
        const existing = this.stmts.eventByKey.get(event.dedupeKey) as { id: number };
        return { id: existing.id, duplicate: true };
      }
      for (const d of event.deliveries) {
        this.stmts.insertDelivery.run({ event_pk: inserted.id, route: d.route, sink: d.sink, now: event.receivedAt });
      }
      return { id: inserted.id, duplicate: false };
    });
  }

  claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.write(() => {
      const token = randomUUID();
      const rows = this.stmts.claim.all({ sink, limit, now, lease_until: now + leaseMs, token }) as DeliveryRow[];
      rows.sort((a, b) => a.next_at - b.next_at || a.id - b.id);
      return rows.map((row) => ({
        ...toDelivery(row),
        leaseToken: token,
        event: toEvent(this.stmts.eventById.get(row.event_pk) as EventRow),
      }));
    });
  }

  settle({ delivery, startedAt, finishedAt, result }: SettleRequest): Promise<boolean> {
    return this.write(() => {
      const error = result.status === 'delivered' ? null : result.error;
      const nextAt = result.status === 'retrying' ? result.nextAt : delivery.nextAt;
      const changed = this.stmts.settle.run({
        id: delivery.id, token: delivery.leaseToken, status: result.status, next_at: nextAt, error, now: finishedAt,
      }).changes;
      if (!changed) return false;
      this.stmts.insertAttempt.run({
        delivery_id: delivery.id, started_at: startedAt,
        duration_ms: Math.max(0, finishedAt - startedAt), error,
        outcome: result.status === 'retrying' ? 'retry' : result.status,
      });
      return true;
    });
  }

  replay(filter: ReplayFilter, now: number): Promise<number> {
    return this.write(() => {
      if (filter.ids) {
        return filter.ids.reduce((count, id) => count + this.stmts.replayOne.run({ id, now }).changes, 0);
      }
      return this.stmts.replayDead.run({ sink: filter.sink ?? null, since: filter.since ?? null, now }).changes;
    });
  }

  deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number> {
    return this.write(() => {
      const marks = known.map(() => '?').join(',');
      const rows = this.db
        .prepare(`SELECT id, sink FROM deliveries WHERE ${WAITING} ${known.length ? `AND sink NOT IN (${marks})` : ''}`)
        .all(...known) as { id: number; sink: string }[];
      for (const row of rows) {
        this.stmts.markDead.run({ id: row.id, now, error: `sink "${row.sink}" is not configured` });
      }
      return rows.length;
    });
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = this.stmts.eventById.get(id) as EventRow | undefined;
    return row && toEvent(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = this.db
      .prepare(`SELECT * FROM events WHERE (@event IS NULL OR event = @event) AND (@since IS NULL OR received_at >= @since)
                ORDER BY id DESC LIMIT @limit`)
      .all({ event: query.event ?? null, since: query.since ?? null, limit: query.limit ?? 100 }) as EventRow[];
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
                ORDER BY id DESC LIMIT @limit`)
      .all({
        status: query.status ?? null, sink: query.sink ?? null, event_pk: query.eventPk ?? null,
        since: query.since ?? null, limit: query.limit ?? 100,
      }) as DeliveryRow[];
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: number): Promise<Attempt[]> {
    const rows = this.db.prepare(`SELECT * FROM attempts WHERE delivery_id = ? ORDER BY attempt`).all(deliveryId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, retrying: 0, delivered: 0, dead: 0 };
    const rows = this.db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as { status: DeliveryStatus; n: number }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  private write<T>(op: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(new Error('store is closed')));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = this.db.transaction(() => batch.map((item) => this.runIsolated(item.op)))();
    } catch (error) {
      const failure = new StoreUnavailableError(error);
      batch.forEach((item) => item.reject(failure));
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.value)));
  }

  private runIsolated(op: () => unknown): { ok: boolean; value: unknown } {
    try {
      return { ok: true, value: this.db.transaction(op)() };
    } catch (error) {
      if (isStorageFailure(error)) throw error;
      return { ok: false, value: error };
    }
  }
}

/** Errors that mean the database cannot be written at all: they abort the whole group. */
function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB)/.test(code);
}

function migrate(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Set((db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[]).map((r) => r.version));
  for (const migration of SQLITE_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

function prepare(db: Db) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    insertEvent: s(`INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
                    VALUES (@dedupe_key, @event_id, @event, @endpoint, @timestamp, @received_at, @routed, @body)
                    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`),
    eventByKey: s(`SELECT id FROM events WHERE dedupe_key = ?`),
    eventById: s(`SELECT * FROM events WHERE id = ?`),
    insertDelivery: s(`INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at)
                       VALUES (@event_pk, @route, @sink, 'pending', 0, @now, @now, @now) ON CONFLICT DO NOTHING`),
    claim: s(`UPDATE deliveries SET lease_until = @lease_until, lease_token = @token
              WHERE id IN (SELECT id FROM deliveries WHERE sink = @sink AND ${WAITING} AND next_at <= @now
                           AND (lease_until IS NULL OR lease_until <= @now) ORDER BY next_at, id LIMIT @limit)
              RETURNING *`),
    settle: s(`UPDATE deliveries SET status = @status, attempts = attempts + 1, next_at = @next_at, last_error = @error,
               lease_until = NULL, lease_token = NULL, updated_at = @now
               WHERE id = @id AND lease_token = @token`),
    insertAttempt: s(`INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, error)
                      VALUES (@delivery_id, (SELECT COUNT(*) + 1 FROM attempts WHERE delivery_id = @delivery_id),
                              @started_at, @duration_ms, @outcome, @error)`),
    replayOne: s(`UPDATE deliveries SET status = 'pending', attempts = 0, next_at = @now, lease_until = NULL, lease_token = NULL,
                  updated_at = @now WHERE id = @id AND status IN ('dead', 'delivered')`),
    replayDead: s(`UPDATE deliveries SET status = 'pending', attempts = 0, next_at = @now, lease_until = NULL, lease_token = NULL,
                   updated_at = @now WHERE status = 'dead' AND (@sink IS NULL OR sink = @sink) AND (@since IS NULL OR updated_at >= @since)`),
    markDead: s(`UPDATE deliveries SET status = 'dead', last_error = @error, lease_until = NULL, lease_token = NULL, updated_at = @now
                 WHERE id = @id`),
  };
}
