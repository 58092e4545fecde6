import { AttemptRow, DeliveryRow, toAttempt, toDelivery } from '../row-mapper';
import { DeliveryQueue } from '../ports/delivery-queue';
import { Attempt, ClaimedDelivery, Delivery, DeliveryQuery, DeliveryStatus, ReplayFilter, SettleRequest } from '../store.types';
import { SqliteEngine } from './sqlite-engine';
import { SettleOp } from './sqlite-writer';

/** The delivery queue on SQLite: claims and settlements are writes (writer thread), the listings reads. */
export class SqliteDeliveryQueue extends DeliveryQueue {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  claimDue(sink: string, limit: number, now: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.engine.write({ kind: 'claim', sink, limit, now, leaseMs });
  }

  settle(request: SettleRequest): Promise<boolean> {
    return this.engine.write(settleOp(request));
  }

  /** One write op, so the whole batch is one statement list in the writer's transaction. */
  settleBatch(requests: readonly SettleRequest[]): Promise<boolean[]> {
    if (!requests.length) return Promise.resolve([]);
    return this.engine.write({ kind: 'settleBatch', settles: requests.map(settleOp) });
  }

  release(claims: readonly { id: number; leaseToken: string }[]): Promise<number> {
    if (!claims.length) return Promise.resolve(0);
    return this.engine.write({ kind: 'release', claims: claims.map(({ id, leaseToken }) => ({ id, leaseToken })) });
  }

  replay(filter: ReplayFilter, now: number): Promise<number> {
    return this.engine.write({ kind: 'replay', filter, now });
  }

  async openCircuit(sink: string, openedAt: number): Promise<void> {
    await this.engine.write({ kind: 'openCircuit', sink, openedAt });
  }

  closeCircuit(sink: string, openedAt: number, now: number): Promise<number> {
    return this.engine.write({ kind: 'closeCircuit', sink, openedAt, now });
  }

  async openCircuits(): Promise<{ sink: string; openedAt: number }[]> {
    return this.engine.db.prepare(`SELECT sink, opened_at AS openedAt FROM sink_circuits ORDER BY sink`).all() as { sink: string; openedAt: number }[];
  }

  deadLetterUnknownSinks(known: readonly string[], now: number): Promise<number> {
    return this.engine.write({ kind: 'deadLetterUnknownSinks', known, now });
  }

  async getDelivery(id: number): Promise<Delivery | undefined> {
    const row = this.engine.db.prepare(`SELECT * FROM deliveries WHERE id = ?`).get(id) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  async listDeliveries(query: DeliveryQuery): Promise<Delivery[]> {
    const rows = this.engine.db
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
    const rows = this.engine.db.prepare(`SELECT * FROM attempts WHERE delivery_id = ? ORDER BY attempt`).all(deliveryId) as AttemptRow[];
    return rows.map(toAttempt);
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, retrying: 0, delivered: 0, dead: 0, silenced: 0 };
    const rows = this.engine.db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as { status: DeliveryStatus; n: number }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async deliveryCounts(): Promise<{ sink: string; status: DeliveryStatus; count: number }[]> {
    return this.engine.db.prepare(`SELECT sink, status, COUNT(*) AS count FROM deliveries GROUP BY sink, status`).all() as {
      sink: string; status: DeliveryStatus; count: number;
    }[];
  }
}

function settleOp({ delivery, startedAt, finishedAt, result }: SettleRequest): SettleOp {
  return { kind: 'settle', id: delivery.id, token: delivery.leaseToken, nextAt: delivery.nextAt, startedAt, finishedAt, result };
}
