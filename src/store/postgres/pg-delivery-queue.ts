import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { AttemptRow, DeliveryRow, EventRow, toAttempt, toDelivery, toEvent } from '../row-mapper';
import { DeliveryQueue } from '../ports/delivery-queue';
import { Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, ReplayFilter, SettleRequest } from '../store.types';
import { PgEngine } from './pg-engine';

const WAITING = `status IN ('pending', 'retrying')`;

/**
 * The delivery queue on PostgreSQL, shared by several instances: claims with FOR UPDATE SKIP LOCKED and leases,
 * the settlements of one group commit in one multi-row statement.
 */
export class PgDeliveryQueue extends DeliveryQueue {
  private readonly settleGrouped: (request: SettleRequest) => Promise<boolean>;

  constructor(private readonly engine: PgEngine) {
    super();
    this.settleGrouped = engine.group('settle', (client, requests: readonly SettleRequest[]) => this.settleMany(client, requests));
  }

  claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.engine.write(async (c) => {
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
    return this.settleGrouped(request);
  }

  /** One write of the group commit (one transaction), one multi-row statement for the whole batch. */
  settleBatch(requests: readonly SettleRequest[]): Promise<boolean[]> {
    if (!requests.length) return Promise.resolve([]);
    return this.engine.write((c) => this.settleMany(c, requests));
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
         FROM input i WHERE d.id = i.id AND d.lease_token = i.token RETURNING d.id, i.token, d.attempts
       ), recorded AS (
         -- the history has one entry per attempt: this one's number is the delivery's count of attempts, now counted
         INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, error)
         SELECT i.id, changed.attempts, i.started_at,
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
    return this.engine.write(async (c) => (await c.query(
      `UPDATE deliveries d SET lease_until = NULL, lease_token = NULL FROM unnest($1::bigint[], $2::text[]) AS x(id, token)
       WHERE d.id = x.id AND d.lease_token = x.token`,
      [claims.map((x) => x.id), claims.map((x) => x.leaseToken)],
    )).rowCount ?? 0);
  }

  replay(filter: ReplayFilter, now: number): Promise<number> {
    return this.engine.write(async (c) => {
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
    await this.engine.write(async (c) => {
      await c.query(`UPDATE deliveries SET next_at = $2 WHERE sink = $1 AND status = 'retrying' AND next_at > $2`, [sink, openedAt]);
      await c.query('INSERT INTO sink_circuits (sink, opened_at) VALUES ($1, $2) ON CONFLICT (sink) DO NOTHING', [sink, openedAt]);
    });
  }

  closeCircuit(sink: string, openedAt: number, now: number): Promise<number> {
    return this.engine.write(async (c) => {
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
    return (await this.engine.read('SELECT sink, opened_at FROM sink_circuits ORDER BY sink')).map((r) => ({ sink: r.sink as string, openedAt: Number(r.opened_at) }));
  }

  deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number> {
    return this.engine.write(async (c) => (await c.query(
      `UPDATE deliveries SET status = 'dead', last_error = 'sink "' || sink || '" is not configured', lease_until = NULL,
       lease_token = NULL, updated_at = $2 WHERE ${WAITING} AND NOT (sink = ANY($1)) AND (lease_until IS NULL OR lease_until <= $2)`,
      [known, now],
    )).rowCount ?? 0);
  }

  async getDelivery(id: number): Promise<Delivery | undefined> {
    const row = (await this.engine.read<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]))[0];
    return row && toDelivery(row);
  }

  async listDeliveries(query: DeliveryQuery): Promise<Delivery[]> {
    const rows = await this.engine.read<DeliveryRow>(
      `SELECT * FROM deliveries WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR sink = $2)
       AND ($3::bigint IS NULL OR event_pk = $3) AND ($4::bigint IS NULL OR updated_at >= $4) AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [query.status ?? null, query.sink ?? null, query.eventPk ?? null, query.since ?? null, query.before ?? null, query.limit ?? 100],
    );
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: number): Promise<Attempt[]> {
    return (await this.engine.read<AttemptRow>('SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY attempt', [deliveryId])).map(toAttempt);
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, retrying: 0, delivered: 0, dead: 0, silenced: 0 };
    for (const row of await this.engine.read('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status')) counts[row.status as DeliveryStatus] = Number(row.n);
    return counts;
  }

  async deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]> {
    return (await this.engine.read('SELECT sink, status, COUNT(*) AS count FROM deliveries GROUP BY sink, status')).map((r) => ({
      sink: r.sink as string, status: r.status as DeliveryStatus, count: Number(r.count),
    }));
  }
}
