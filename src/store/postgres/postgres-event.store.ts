import { randomUUID } from 'node:crypto';
import { Pool, PoolClient, types } from 'pg';
import {
  Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, EndpointSecret, EventQuery, EventStore, IngestResult,
  NewEvent, ReplayFilter, SettleRequest, StoredEvent, StoreUnavailableError, WriteHealth,
} from '../event-store';
import { AttemptRow, DeliveryRow, EventRow, toAttempt, toDelivery, toEvent } from '../sqlite/sqlite.mapper';
import { POSTGRES_MIGRATIONS } from './migrations';
import { joinGroup, PgAlertGroups } from './pg-groups';
import { PgSilences } from './pg-silences';

const WAITING = `status IN ('pending', 'retrying')`;
const MIGRATION_LOCK = 7_260_431; // advisory lock id for schema migrations
const LEADER_LOCK = 7_260_432; // advisory lock id for the leader (sync loop, housekeeping)

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** Schema (search_path) to use; created if missing. */
  schema?: string;
}

type Op = (client: PoolClient) => Promise<unknown>;
/** Writes of these kinds share one multi-row statement with the others of their kind in a group commit. */
type GroupedKind = 'ingest' | 'settle';
interface Pending {
  op: Op;
  grouped?: { kind: GroupedKind; input: unknown };
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Errors that mean the database cannot be reached or written at all (not a fault of one write). */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return !/^[0-9A-Z]{5}$/.test(code) || /^(08|53|57|58|25P)/.test(code);
}

/**
 * PostgreSQL adapter, for several bridge instances on one database: group commit (writes that queue during a
 * commit share the next transaction), claims with FOR UPDATE SKIP LOCKED and leases, dedupe by a unique key.
 */
export class PostgresEventStore extends EventStore {
  private readonly pool: Pool;
  private queue: Pending[] = [];
  private flushing = false;
  private ready: Promise<void>;
  /** The session that holds the leader lock; the lock goes with it when this instance dies. */
  private leader?: PoolClient;
  private readonly health = new WriteHealth();
  /** alerting: the groups port, on this store's pool and group commit. */
  readonly groups = new PgAlertGroups((sql, params) => this.read(sql, params), (op) => this.write(op));
  /** alerting: the silences port. */
  readonly silences = new PgSilences((sql, params) => this.read(sql, params), (op) => this.write(op));

  constructor(private readonly options: PostgresOptions) {
    super();
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // a server that accepts the connection but never answers (stopped with SIGSTOP, a black-holed network) must
      // fail the write (503, JoggAI retries) rather than hold the webhook open
      connectionTimeoutMillis: 5000,
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text')) } as never,
    });
    // A session the server ends (restart, pg_terminate_backend, network) emits 'error' on its client; without a
    // listener that is an uncaught exception. The pool's own listener covers idle clients only, so every client
    // gets one for its whole life: the error surfaces where it matters, as the failure of the query in progress
    // or of the next one, and the pool drops the broken client when it is released.
    this.pool.on('error', () => undefined);
    const schema = options.schema?.replace(/"/g, '');
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined);
      if (schema) client.query(`SET search_path TO "${schema}"`).catch(() => undefined); // a lost session fails its next query anyway
    });
    this.ready = this.migrate();
    this.ready.catch(() => undefined);
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      if (this.options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.options.schema.replace(/"/g, '')}"`);
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number));
      for (const migration of POSTGRES_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
        await client.query('COMMIT');
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.writeGrouped('ingest', event);
  }

  /**
   * Ingests a group of events with one multi-row INSERT for the events and one for their deliveries. The first of
   * several events with one dedupe key in the group is the candidate; the others (and any key already stored,
   * by this instance or another) come back as duplicates of the stored event.
   */
  private async ingestMany(c: PoolClient, events: readonly NewEvent[]): Promise<IngestResult[]> {
    const first = new Map<string, number>();
    events.forEach((e, i) => first.has(e.dedupeKey) || first.set(e.dedupeKey, i));
    const candidates = [...first.values()].map((i) => events[i]);
    const inserted = (await c.query(
      `INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[], $8::text[])
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key`,
      [
        candidates.map((e) => e.dedupeKey), candidates.map((e) => e.eventId ?? null), candidates.map((e) => e.event),
        candidates.map((e) => e.endpoint), candidates.map((e) => e.timestamp), candidates.map((e) => e.receivedAt),
        candidates.map((e) => e.deliveries.length), candidates.map((e) => e.body),
      ],
    )).rows as { id: number; dedupe_key: string }[];
    const ids = new Map(inserted.map((r) => [r.dedupe_key, r.id]));
    const fresh = new Set(ids.keys());
    const missing = candidates.filter((e) => !ids.has(e.dedupeKey)).map((e) => e.dedupeKey);
    if (missing.length) {
      for (const r of (await c.query('SELECT id, dedupe_key FROM events WHERE dedupe_key = ANY($1)', [missing])).rows) ids.set(r.dedupe_key, r.id);
    }
    const rows = {
      event: [] as number[], route: [] as string[], sink: [] as string[], at: [] as number[], key: [] as (string | null)[],
      status: [] as string[], silence: [] as (number | null)[], next: [] as number[],
    };
    for (const e of candidates) {
      if (!fresh.has(e.dedupeKey)) continue;
      for (const d of e.deliveries) {
        // alerting: a grouped route's delivery is a membership of its group, sent with the group's one delivery
        if (d.group && d.silenceId === undefined) {
          await joinGroup(c, ids.get(e.dedupeKey)!, d.route, d.sink, d.group, e.receivedAt);
          continue;
        }
        rows.event.push(ids.get(e.dedupeKey)!);
        rows.route.push(d.route);
        rows.sink.push(d.sink);
        rows.at.push(e.receivedAt);
        rows.key.push(d.orderKey ?? null);
        // alerting: a silenced delivery is recorded, not sent
        rows.status.push(d.silenceId !== undefined ? 'silenced' : 'pending');
        rows.silence.push(d.silenceId ?? null);
        rows.next.push(d.notBefore ?? e.receivedAt);
      }
    }
    if (rows.event.length) {
      await c.query(
        `INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, order_key, silence_id)
         SELECT e, r, s, st, 0, n, t, t, k, si
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[]) AS x(e, r, s, t, k, st, si, n)
         ON CONFLICT DO NOTHING`,
        [rows.event, rows.route, rows.sink, rows.at, rows.key, rows.status, rows.silence, rows.next],
      );
    }
    return events.map((e, i) => {
      const id = ids.get(e.dedupeKey);
      if (id === undefined) throw new Error(`event ${e.dedupeKey} was neither inserted nor found`);
      return { id, duplicate: !(fresh.has(e.dedupeKey) && first.get(e.dedupeKey) === i) };
    });
  }

  claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.write(async (c) => {
      const token = randomUUID();
      // claim_due (migration 3) walks the due index in order whatever the statistics say
      const rows = (await c.query('SELECT * FROM claim_due($1, $2, $3, $4, $5)', [sink, now, limit, now + leaseMs, token])).rows as DeliveryRow[];
      rows.sort((a, b) => a.id - b.id);
      if (!rows.length) return [];
      const events = (await c.query('SELECT * FROM events WHERE id = ANY($1)', [rows.map((r) => r.event_pk)])).rows as EventRow[];
      const byId = new Map(events.map((e) => [e.id, e]));
      return rows.map((row) => ({ ...toDelivery(row), leaseToken: token, event: toEvent(byId.get(row.event_pk)!) }));
    });
  }

  settle(request: SettleRequest): Promise<boolean> {
    return this.writeGrouped('settle', request);
  }

  /** Settles a group of attempts: one UPDATE for the deliveries (only where the lease token still matches) and one INSERT for the attempts. */
  private async settleMany(c: PoolClient, requests: readonly SettleRequest[]): Promise<boolean[]> {
    // a delivery settles once per lease: the first request per (delivery, token) in the group is the one that counts
    const key = (r: SettleRequest) => `${r.delivery.id}:${r.delivery.leaseToken}`;
    const first = new Map<string, number>();
    requests.forEach((r, i) => first.has(key(r)) || first.set(key(r), i));
    const unique = [...first.values()].map((i) => requests[i]);
    const col = <T>(f: (r: SettleRequest) => T): T[] => unique.map(f);
    const error = (r: SettleRequest) => (r.result.status === 'delivered' ? null : r.result.error);
    const settled = (await c.query(
      `WITH input AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::int[])
           AS t(id, token, status, next_at, error, started_at, finished_at, outcome, uncounted)
       ), changed AS (
         UPDATE deliveries d SET status = i.status, attempts = d.attempts + 1, next_at = i.next_at, last_error = i.error,
           attempts_before_replay = d.attempts_before_replay + i.uncounted,
           lease_until = NULL, lease_token = NULL, updated_at = i.finished_at
         FROM input i WHERE d.id = i.id AND d.lease_token = i.token RETURNING d.id, i.token
       ), recorded AS (
         INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, error)
         SELECT i.id, (SELECT COUNT(*) + 1 FROM attempts a WHERE a.delivery_id = i.id), i.started_at,
                GREATEST(0, i.finished_at - i.started_at), i.outcome, i.error
         FROM input i JOIN changed USING (id, token)
       )
       SELECT id, token FROM changed`,
      [
        col((r) => r.delivery.id), col((r) => r.delivery.leaseToken), col((r) => r.result.status),
        col((r) => (r.result.status === 'retrying' ? r.result.nextAt : r.delivery.nextAt)), col(error),
        col((r) => r.startedAt), col((r) => r.finishedAt), col((r) => (r.result.status === 'retrying' ? 'retry' : r.result.status)),
        col((r) => (r.result.status === 'retrying' && r.result.uncounted ? 1 : 0)),
      ],
    )).rows as { id: number; token: string }[];
    const done = new Set(settled.map((r) => `${r.id}:${r.token}`));
    return requests.map((r, i) => done.has(key(r)) && first.get(key(r)) === i);
  }

  release(claims: readonly { id: number; leaseToken: string }[]): Promise<number> {
    if (!claims.length) return Promise.resolve(0);
    return this.write(async (c) => (await c.query(
      `UPDATE deliveries d SET lease_until = NULL, lease_token = NULL FROM unnest($1::bigint[], $2::text[]) AS x(id, token)
       WHERE d.id = x.id AND d.lease_token = x.token`,
      [claims.map((x) => x.id), claims.map((x) => x.leaseToken)],
    )).rowCount ?? 0);
  }

  replay(filter: ReplayFilter, now: number): Promise<number> {
    return this.write(async (c) => {
      const reset = `status = 'pending', attempts_before_replay = attempts, next_at = $1, lease_until = NULL, lease_token = NULL, updated_at = $1`;
      if (filter.ids) {
        return (await c.query(`UPDATE deliveries SET ${reset} WHERE id = ANY($2) AND status IN ('dead', 'delivered', 'silenced')`, [now, filter.ids])).rowCount ?? 0;
      }
      return (await c.query(
        `UPDATE deliveries SET ${reset} WHERE status = 'dead' AND ($2::text IS NULL OR sink = $2) AND ($3::bigint IS NULL OR updated_at >= $3)`,
        [now, filter.sink ?? null, filter.since ?? null],
      )).rowCount ?? 0;
    });
  }

  async openCircuit(sink: string, openedAt: number): Promise<void> {
    await this.write(async (c) => {
      await c.query(`UPDATE deliveries SET next_at = $2 WHERE sink = $1 AND status = 'retrying' AND next_at > $2`, [sink, openedAt]);
      await c.query('INSERT INTO sink_circuits (sink, opened_at) VALUES ($1, $2) ON CONFLICT (sink) DO NOTHING', [sink, openedAt]);
    });
  }

  closeCircuit(sink: string, openedAt: number, now: number): Promise<number> {
    return this.write(async (c) => {
      await c.query('DELETE FROM sink_circuits WHERE sink = $1', [sink]);
      return (await c.query(
        `UPDATE deliveries SET paused_ms = paused_ms + GREATEST(0, $3::bigint - GREATEST(created_at, $2::bigint)),
         next_at = CASE WHEN status = 'retrying' AND next_at > $3::bigint THEN $3::bigint ELSE next_at END
         WHERE sink = $1 AND ${WAITING}`,
        [sink, openedAt, now],
      )).rowCount ?? 0;
    });
  }

  async openCircuits(): Promise<{ sink: string; openedAt: number }[]> {
    return (await this.read('SELECT sink, opened_at FROM sink_circuits ORDER BY sink')).map((r) => ({ sink: r.sink as string, openedAt: Number(r.opened_at) }));
  }

  deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number> {
    return this.write(async (c) => (await c.query(
      `UPDATE deliveries SET status = 'dead', last_error = 'sink "' || sink || '" is not configured', lease_until = NULL,
       lease_token = NULL, updated_at = $2 WHERE ${WAITING} AND NOT (sink = ANY($1))`,
      [known, now],
    )).rowCount ?? 0);
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = (await this.read<EventRow>('SELECT * FROM events WHERE id = $1', [id]))[0];
    return row && toEvent(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = await this.read<EventRow>(
      `SELECT * FROM events WHERE ($1::text IS NULL OR event = $1) AND ($2::bigint IS NULL OR received_at >= $2)
       AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [query.event ?? null, query.since ?? null, query.before ?? null, query.limit ?? 100],
    );
    return rows.map(toEvent);
  }

  async getDelivery(id: number): Promise<Delivery | undefined> {
    const row = (await this.read<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]))[0];
    return row && toDelivery(row);
  }

  async listDeliveries(query: DeliveryQuery): Promise<Delivery[]> {
    const rows = await this.read<DeliveryRow>(
      `SELECT * FROM deliveries WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR sink = $2)
       AND ($3::bigint IS NULL OR event_pk = $3) AND ($4::bigint IS NULL OR updated_at >= $4) AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [query.status ?? null, query.sink ?? null, query.eventPk ?? null, query.since ?? null, query.before ?? null, query.limit ?? 100],
    );
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: number): Promise<Attempt[]> {
    return (await this.read<AttemptRow>('SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY attempt', [deliveryId])).map(toAttempt);
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, retrying: 0, delivered: 0, dead: 0, silenced: 0 };
    for (const row of await this.read('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status')) counts[row.status as DeliveryStatus] = Number(row.n);
    return counts;
  }

  async deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]> {
    return (await this.read('SELECT sink, status, COUNT(*) AS count FROM deliveries GROUP BY sink, status')).map((r) => ({
      sink: r.sink as string, status: r.status as DeliveryStatus, count: Number(r.count),
    }));
  }

  async saveEndpointSecrets(secrets: readonly EndpointSecret[], now: number): Promise<void> {
    if (!secrets.length) return;
    await this.write(async (c) => {
      for (const s of secrets) {
        await c.query(
          `INSERT INTO endpoint_secrets (endpoint_id, endpoint, secret, captured_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (endpoint_id) DO UPDATE SET endpoint = excluded.endpoint, secret = excluded.secret, captured_at = excluded.captured_at`,
          [s.endpointId, s.endpoint, s.secret, now],
        );
      }
    });
  }

  async forgetEndpointSecrets(endpointIds: readonly string[]): Promise<void> {
    if (endpointIds.length) await this.write((c) => c.query('DELETE FROM endpoint_secrets WHERE endpoint_id = ANY($1)', [endpointIds]));
  }

  async listEndpointSecrets(): Promise<EndpointSecret[]> {
    return (await this.read('SELECT endpoint, endpoint_id, secret FROM endpoint_secrets ORDER BY captured_at, endpoint_id')).map((r) => ({
      endpoint: r.endpoint as string, endpointId: r.endpoint_id as string, secret: r.secret as string,
    }));
  }

  async saveRotation(rotation: { name: string; until: number }): Promise<void> {
    await this.write((c) => c.query('INSERT INTO rotations (name, until) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET until = excluded.until', [rotation.name, rotation.until]));
  }

  async endRotation(name: string): Promise<void> {
    await this.write((c) => c.query('DELETE FROM rotations WHERE name = $1', [name]));
  }

  async listRotations(): Promise<{ name: string; until: number }[]> {
    return this.read<{ name: string; until: number }>('SELECT name, until FROM rotations ORDER BY name');
  }

  private acquiring?: Promise<boolean>;

  /**
   * Holds the leader lock on a session of its own. When the server ends that session (restart, terminated
   * backend) the lock is gone with it: the session is dropped at once and the next call tries to take the
   * lock again on a fresh one (this instance or another gets it, whichever asks first).
   */
  acquireLeadership(): Promise<boolean> {
    // one attempt at a time: a check that waits on a stalled session must not put a second query on it
    this.acquiring ??= this.tryLeadership().finally(() => (this.acquiring = undefined));
    return this.acquiring;
  }

  private async tryLeadership(): Promise<boolean> {
    await this.ready;
    if (this.leader) {
      try {
        await this.leader.query('SELECT 1');
        return true;
      } catch {
        this.dropLeaderSession();
      }
    }
    const client = await this.pool.connect();
    let held = false;
    try {
      held = (await client.query('SELECT pg_try_advisory_lock($1) AS held', [LEADER_LOCK])).rows[0].held;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!held) {
      client.release();
      return false;
    }
    this.leader = client;
    client.once('error', () => this.leader === client && this.dropLeaderSession());
    return true;
  }

  private dropLeaderSession(): void {
    this.leader?.release(true);
    this.leader = undefined;
  }

  purgeDelivered(before: number): Promise<number> {
    return this.write(async (c) => (await c.query(
      `DELETE FROM events WHERE received_at < $1
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_pk = events.id AND d.status NOT IN ('delivered', 'silenced'))
       AND NOT EXISTS (SELECT 1 FROM group_members m JOIN alert_groups g ON g.id = m.group_id LEFT JOIN deliveries gd ON gd.id = g.delivery_id
                       WHERE m.event_pk = events.id AND (gd.id IS NULL OR gd.status <> 'delivered'))`,
      [before],
    )).rowCount ?? 0);
  }

  /** A real write (one row, upserted), so a database that cannot write shows as down. */
  async ping(): Promise<void> {
    this.health.check();
    await this.write((c) => c.query('INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]));
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.ready.catch(() => undefined);
    if (this.leader) {
      // unlock explicitly: the server drops a closed session's locks only once its backend has exited
      await this.leader.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => undefined);
      this.leader.release(true);
      this.leader = undefined;
    }
    await this.pool.end();
  }

  private async read<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query(sql, params)).rows as R[];
  }

  private write<T>(op: Op, grouped?: Pending['grouped']): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, grouped, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** The multi-row statement of each grouped kind: inputs in, one result per input out. */
  private readonly groupedStatements: Record<GroupedKind, (client: PoolClient, inputs: never[]) => Promise<unknown[]>> = {
    ingest: (client, inputs: NewEvent[]) => this.ingestMany(client, inputs),
    settle: (client, inputs: SettleRequest[]) => this.settleMany(client, inputs),
  };

  /** A write that joins the others of its kind in the group; alone (after a failed group) it is a group of one. */
  private writeGrouped<T>(kind: GroupedKind, input: unknown): Promise<T> {
    return this.write<T>(async (c) => (await this.groupedStatements[kind](c, [input as never]))[0], { kind, input });
  }

  /** Group commit: every write that queued while the previous transaction ran goes into the next one. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      await this.ready;
    } catch (error) {
      this.failAll(error);
    }
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    this.flushing = false;
  }

  private failAll(error: unknown): void {
    const failure = new StoreUnavailableError(error);
    for (const p of this.queue.splice(0)) p.reject(failure);
  }

  private async commit(batch: Pending[]): Promise<void> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.health.failed(error);
      batch.forEach((p) => p.reject(new StoreUnavailableError(error)));
      return;
    }
    let broken = false; // a session that failed for the database's reason is not given back to the pool
    try {
      const results = await this.transaction(client, () => this.runGroup(client, batch));
      this.health.succeeded();
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (isUnavailable(error)) {
        broken = true;
        this.health.failed(error);
        batch.forEach((p) => p.reject(new StoreUnavailableError(error)));
      } else {
        // one write failed for a reason of its own: run each alone so the others still commit
        for (const p of batch) {
          try {
            p.resolve(await this.transaction(client, () => p.op(client)));
          } catch (single) {
            p.reject(isUnavailable(single) ? new StoreUnavailableError(single) : single);
          }
        }
      }
    } finally {
      client.release(broken);
    }
  }

  /** Runs a group's writes: each grouped kind as one multi-row statement, the rest one by one in order. */
  private async runGroup(client: PoolClient, batch: readonly Pending[]): Promise<unknown[]> {
    const out: unknown[] = new Array(batch.length);
    for (const kind of Object.keys(this.groupedStatements) as GroupedKind[]) {
      const positions = batch.flatMap((p, i) => (p.grouped?.kind === kind ? [i] : []));
      if (!positions.length) continue;
      const results = await this.groupedStatements[kind](client, positions.map((i) => batch[i].grouped!.input as never));
      positions.forEach((i, k) => (out[i] = results[k]));
    }
    for (let i = 0; i < batch.length; i++) if (!batch[i].grouped) out[i] = await batch[i].op(client);
    return out;
  }

  private async transaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
