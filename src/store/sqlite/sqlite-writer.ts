import { randomUUID } from 'node:crypto';
import { Database as Db, Statement } from 'better-sqlite3';
import { DeliveryRow, EventRow, toDelivery, toEvent } from '../row-mapper';
import { ClaimedDelivery, leasedAtIngest, LeasedAtIngest, NewEvent, ReplayFilter, Settlement } from '../store.types';
import { NewSilence } from '../ports/silences';
import { AnswerCount } from '../ports/answer-stats';
import { EndpointSyncRecord } from '../ports/endpoint-sync-log';
import { addAnswerCounts, purgeAnswerCounts, recordSync } from './sqlite-answer-stats';
import { SqliteGroupWriter } from './sqlite-groups';
import { addSilence, expireSilence } from './sqlite-silences';

export const WAITING = `status IN ('pending', 'retrying')`;
/** alerting: the event is a member of a group whose delivery is not yet delivered (or not yet created). */
const GROUPED_UNSENT = `SELECT 1 FROM group_members m JOIN alert_groups g ON g.id = m.group_id
  LEFT JOIN deliveries gd ON gd.id = g.delivery_id WHERE m.event_pk = events.id AND (gd.id IS NULL OR gd.status <> 'delivered')`;

export type SettleOp = { kind: 'settle'; id: number; token: string; startedAt: number; finishedAt: number; nextAt: number; result: Settlement };

/** A write, as plain data, so it can cross to the writer thread. */
export type WriteOp =
  | { kind: 'ingest'; event: NewEvent }
  | { kind: 'claim'; sink: string; limit: number; now: number; leaseMs: number }
  | SettleOp
  | { kind: 'settleBatch'; settles: readonly SettleOp[] }
  | { kind: 'openCircuit'; sink: string; openedAt: number }
  | { kind: 'closeCircuit'; sink: string; openedAt: number; now: number }
  | { kind: 'replay'; filter: ReplayFilter; now: number }
  | { kind: 'deadLetterUnknownSinks'; known: readonly string[]; now: number }
  | { kind: 'ping' }
  | { kind: 'release'; claims: readonly { id: number; leaseToken: string }[] }
  | { kind: 'saveSecrets'; secrets: readonly { endpoint: string; endpointId: string; secret: string }[]; now: number }
  | { kind: 'forgetSecrets'; endpointIds: readonly string[] }
  | { kind: 'saveRotation'; name: string; until: number }
  | { kind: 'endRotation'; name: string }
  | { kind: 'purge'; before: number }
  // alerting: close due groups, each with its one delivery
  | { kind: 'flushGroups'; now: number }
  | { kind: 'emptyDigest'; sink: string; key: string; periodEnd: number; now: number }
  | { kind: 'addSilence'; silence: NewSilence; now: number }
  | { kind: 'expireSilence'; id: number; now: number }
  // the console's figures: webhook answers per minute, the last sync result per endpoint
  | { kind: 'addAnswerCounts'; counts: readonly AnswerCount[] }
  | { kind: 'purgeAnswerCounts'; before: number }
  | { kind: 'recordSync'; records: readonly EndpointSyncRecord[] };

/** What an ingest write gives back across the thread boundary (the inbox builds the claimed deliveries from it). */
export interface WriterIngestResult {
  id: number;
  duplicate: boolean;
  leased?: LeasedAtIngest;
}

export type WriteResult = { ok: true; value: unknown } | { ok: false; error: { message: string; code?: string } };

/**
 * Runs writes against one connection: a batch is one transaction (one fsync), each write in its own
 * savepoint so a failing write does not undo the others. Errors that mean the file cannot be written
 * abort the whole batch.
 */
export class SqliteWriter {
  private readonly stmts: ReturnType<typeof prepare>;
  private readonly together: (ops: readonly WriteOp[]) => WriteResult[];
  private readonly alone: (op: WriteOp) => unknown;
  private readonly groups: SqliteGroupWriter;

  constructor(private readonly db: Db) {
    this.stmts = prepare(db);
    this.groups = new SqliteGroupWriter(db);
    this.alone = db.transaction((op: WriteOp) => this.apply(op));
    this.together = db.transaction((ops: readonly WriteOp[]) => ops.map((op): WriteResult => ({ ok: true, value: this.apply(op) })));
  }

  /**
   * One transaction for the whole batch. Should any write fail for a reason of its own (not the
   * storage), the batch is rolled back and each write runs in a transaction of its own, so one bad
   * write never takes the others down with it.
   */
  run(ops: readonly WriteOp[]): WriteResult[] {
    try {
      return this.together(ops);
    } catch (error) {
      if (isStorageFailure(error)) throw error;
      return ops.map((op) => this.attempt(op));
    }
  }

  releaseLeases(): void {
    this.db.prepare(`UPDATE deliveries SET lease_until = NULL, lease_token = NULL WHERE lease_until IS NOT NULL`).run();
  }

  private attempt(op: WriteOp): WriteResult {
    try {
      return { ok: true, value: this.alone(op) };
    } catch (error) {
      if (isStorageFailure(error)) throw error;
      return { ok: false, error: { message: (error as Error).message, code: (error as { code?: string }).code } };
    }
  }

  private apply(op: WriteOp): unknown {
    switch (op.kind) {
      case 'ingest':
        return this.ingest(op.event);
      case 'claim':
        return this.claim(op.sink, op.limit, op.now, op.leaseMs);
      case 'settle':
        return this.settle(op);
      case 'settleBatch':
        // settling clears the lease token: a second settle of the same lease in the batch finds it gone (false)
        return op.settles.map((settle) => this.settle(settle));
      case 'replay':
        return this.replay(op.filter, op.now);
      case 'deadLetterUnknownSinks':
        return this.deadLetterUnknownSinks(op.known, op.now);
      case 'openCircuit':
        this.stmts.dueNow.run({ sink: op.sink, now: op.openedAt });
        return this.stmts.openCircuit.run({ sink: op.sink, opened_at: op.openedAt }).changes;
      case 'closeCircuit':
        this.stmts.forgetCircuit.run(op.sink);
        return this.stmts.resumeSink.run({ sink: op.sink, opened_at: op.openedAt, now: op.now }).changes;
      case 'ping':
        return this.stmts.ping.run(Date.now()).changes;
      case 'saveSecrets':
        return op.secrets.forEach((x) => this.stmts.saveSecret.run({ endpoint_id: x.endpointId, endpoint: x.endpoint, secret: x.secret, now: op.now }));
      case 'forgetSecrets':
        return op.endpointIds.forEach((id) => this.stmts.forgetSecret.run(id));
      case 'saveRotation':
        return this.stmts.saveRotation.run({ name: op.name, until: op.until }).changes;
      case 'endRotation':
        return this.stmts.endRotation.run(op.name).changes;
      case 'purge':
        return this.stmts.purge.run({ before: op.before }).changes;
      case 'flushGroups':
        return this.groups.flushDue(op.now);
      case 'emptyDigest':
        return this.groups.emptyDigest(op.sink, op.key, op.periodEnd, op.now);
      case 'addSilence':
        return addSilence(this.db, op.silence, op.now);
      case 'expireSilence':
        return expireSilence(this.db, op.id, op.now);
      case 'addAnswerCounts':
        return addAnswerCounts(this.db, op.counts);
      case 'purgeAnswerCounts':
        return purgeAnswerCounts(this.db, op.before);
      case 'recordSync':
        return recordSync(this.db, op.records);
      case 'release':
        return op.claims.reduce((n, claim) => n + this.stmts.release.run({ id: claim.id, token: claim.leaseToken }).changes, 0);
    }
  }

  /** The event's id, or the stored one's for a duplicate; `leased`: the deliveries inserted leased (hand-off). */
  private ingest(event: NewEvent): WriterIngestResult {
    const inserted = this.stmts.insertEvent.get({
      dedupe_key: event.dedupeKey, event_id: event.eventId ?? null, event: event.event, endpoint: event.endpoint,
      timestamp: event.timestamp, received_at: event.receivedAt, routed: event.deliveries.length, body: event.body,
    }) as { id: number } | undefined;
    if (!inserted) return { id: (this.stmts.eventByKey.get(event.dedupeKey) as { id: number }).id, duplicate: true };
    let leased: LeasedAtIngest | undefined;
    for (const [at, d] of event.deliveries.entries()) {
      // alerting: a silenced delivery is recorded, not sent; a grouped route's delivery is a membership of its group, sent with the group's one delivery
      if (d.silenceId !== undefined) {
        this.stmts.insertSilenced.run({ event_pk: inserted.id, route: d.route, sink: d.sink, silence_id: d.silenceId, now: event.receivedAt });
        continue;
      }
      if (d.group) {
        this.groups.join(inserted.id, d.route, d.sink, d.group, event.receivedAt);
        continue;
      }
      const lease = leasedAtIngest(d) ? (leased ??= { token: randomUUID(), deliveries: [] }) : undefined;
      const row = this.stmts.insertDelivery.run({
        event_pk: inserted.id, route: d.route, sink: d.sink, order_key: d.orderKey ?? null, now: event.receivedAt, next_at: d.notBefore ?? event.receivedAt,
        lease_until: lease ? d.leaseUntil! : null, lease_token: lease?.token ?? null,
      });
      if (lease && row.changes) lease.deliveries.push({ at, id: Number(row.lastInsertRowid) });
    }
    return { id: inserted.id, duplicate: false, ...(leased?.deliveries.length ? { leased } : {}) };
  }

  private claim(sink: string, limit: number, now: number, leaseMs: number): ClaimedDelivery[] {
    const token = randomUUID();
    const rows = this.stmts.claim.all({ sink, limit, now, lease_until: now + leaseMs, token }) as DeliveryRow[];
    rows.sort((a, b) => a.id - b.id);
    return rows.map((row) => ({
      ...toDelivery(row),
      leaseToken: token,
      event: toEvent(this.stmts.eventById.get(row.event_pk) as EventRow),
    }));
  }

  private settle(op: SettleOp): boolean {
    const { result } = op;
    const error = result.status === 'delivered' ? null : result.error;
    const nextAt = result.status === 'retrying' ? result.nextAt : op.nextAt;
    const uncounted = result.status === 'retrying' && result.uncounted ? 1 : 0;
    const changed = this.stmts.settle.get({ id: op.id, token: op.token, status: result.status, next_at: nextAt, error, uncounted, now: op.finishedAt }) as
      { attempts: number } | undefined;
    if (!changed) return false;
    // the history has one entry per attempt: this one's number is the delivery's count of attempts, now counted
    this.stmts.insertAttempt.run({
      delivery_id: op.id, attempt: changed.attempts, started_at: op.startedAt, duration_ms: Math.max(0, op.finishedAt - op.startedAt), error,
      outcome: result.status === 'retrying' ? 'retry' : result.status,
    });
    return true;
  }

  private replay(filter: ReplayFilter, now: number): number {
    if (filter.ids) return filter.ids.reduce((count, id) => count + this.stmts.replayOne.run({ id, now }).changes, 0);
    return this.stmts.replayDead.run({ sink: filter.sink ?? null, since: filter.since ?? null, now }).changes;
  }

  private deadLetterUnknownSinks(known: readonly string[], now: number): number {
    const marks = known.map(() => '?').join(',');
    const rows = this.db
      .prepare(`SELECT id, sink FROM deliveries WHERE ${WAITING} ${known.length ? `AND sink NOT IN (${marks})` : ''}
                AND (lease_until IS NULL OR lease_until <= ?)`)
      .all(...known, now) as { id: number; sink: string }[];
    for (const row of rows) this.stmts.markDead.run({ id: row.id, now, error: `sink "${row.sink}" is not configured` });
    return rows.length;
  }
}

/** Errors that mean the database cannot be written at all. */
export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB)/.test(code);
}

function prepare(db: Db) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    insertEvent: s(`INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
                    VALUES (@dedupe_key, @event_id, @event, @endpoint, @timestamp, @received_at, @routed, @body)
                    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`),
    eventByKey: s(`SELECT id FROM events WHERE dedupe_key = ?`),
    eventById: s(`SELECT * FROM events WHERE id = ?`),
    insertDelivery: s(`INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, order_key, lease_until, lease_token)
                       VALUES (@event_pk, @route, @sink, 'pending', 0, @next_at, @now, @now, @order_key, @lease_until, @lease_token) ON CONFLICT DO NOTHING`),
    insertSilenced: s(`INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, silence_id)
                       VALUES (@event_pk, @route, @sink, 'silenced', 0, @now, @now, @now, @silence_id) ON CONFLICT DO NOTHING`),
    // In id order. A keyed delivery is skipped while an earlier one of its key waits and cannot be claimed with it
    // (not due yet, or leased): one writer, so every earlier claimable one of the key ranks before it in this claim.
    claim: s(`UPDATE deliveries SET lease_until = @lease_until, lease_token = @token
              WHERE id IN (SELECT id FROM deliveries d WHERE sink = @sink AND ${WAITING} AND next_at <= @now
                           AND (lease_until IS NULL OR lease_until <= @now)
                           AND (order_key IS NULL OR NOT EXISTS (
                             SELECT 1 FROM deliveries e WHERE e.sink = d.sink AND e.order_key = d.order_key AND e.id < d.id
                             AND e.${WAITING} AND (e.next_at > @now OR e.lease_until > @now)))
                           ORDER BY id LIMIT @limit)
              RETURNING *`),
    settle: s(`UPDATE deliveries SET status = @status, attempts = attempts + 1, next_at = @next_at, last_error = @error,
               attempts_before_replay = attempts_before_replay + @uncounted, lease_until = NULL, lease_token = NULL, updated_at = @now
               WHERE id = @id AND lease_token = @token RETURNING attempts`),
    openCircuit: s(`INSERT INTO sink_circuits (sink, opened_at) VALUES (@sink, @opened_at) ON CONFLICT (sink) DO NOTHING`),
    dueNow: s(`UPDATE deliveries SET next_at = @now WHERE sink = @sink AND status = 'retrying' AND next_at > @now`),
    forgetCircuit: s(`DELETE FROM sink_circuits WHERE sink = ?`),
    resumeSink: s(`UPDATE deliveries SET paused_ms = paused_ms + MAX(0, @now - MAX(created_at, @opened_at)),
                   next_at = CASE WHEN status = 'retrying' AND next_at > @now THEN @now ELSE next_at END
                   WHERE sink = @sink AND ${WAITING}`),
    insertAttempt: s(`INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, error)
                      VALUES (@delivery_id, @attempt, @started_at, @duration_ms, @outcome, @error)`),
    replayOne: s(`UPDATE deliveries SET status = 'pending', attempts_before_replay = attempts, next_at = @now, lease_until = NULL, lease_token = NULL,
                  updated_at = @now WHERE id = @id AND status IN ('dead', 'delivered', 'silenced')`),
    replayDead: s(`UPDATE deliveries SET status = 'pending', attempts_before_replay = attempts, next_at = @now, lease_until = NULL, lease_token = NULL,
                   updated_at = @now WHERE status = 'dead' AND (@sink IS NULL OR sink = @sink) AND (@since IS NULL OR updated_at >= @since)`),
    saveSecret: s(`INSERT INTO endpoint_secrets (endpoint_id, endpoint, secret, captured_at) VALUES (@endpoint_id, @endpoint, @secret, @now)
                   ON CONFLICT (endpoint_id) DO UPDATE SET endpoint = excluded.endpoint, secret = excluded.secret, captured_at = excluded.captured_at`),
    forgetSecret: s(`DELETE FROM endpoint_secrets WHERE endpoint_id = ?`),
    saveRotation: s(`INSERT INTO rotations (name, until) VALUES (@name, @until) ON CONFLICT (name) DO UPDATE SET until = excluded.until`),
    endRotation: s(`DELETE FROM rotations WHERE name = ?`),
    purge: s(`DELETE FROM events WHERE received_at < @before
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_pk = events.id AND d.status NOT IN ('delivered', 'silenced'))
               AND NOT EXISTS (${GROUPED_UNSENT})`),
    release: s(`UPDATE deliveries SET lease_until = NULL, lease_token = NULL WHERE id = @id AND lease_token = @token`),
    ping: s(`INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`),
    markDead: s(`UPDATE deliveries SET status = 'dead', last_error = @error, lease_until = NULL, lease_token = NULL, updated_at = @now
                 WHERE id = @id`),
  };
}
