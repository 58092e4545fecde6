import Database, { Database as Db } from 'better-sqlite3';
import {
  ConsoleQueries, DeadLetter, DeadLetterFilter, EventPage, EventRowSummary, EventSearch, fillSeries, LATENCY_SAMPLE, latencyBySink,
  Series, WindowCounts,
} from '../console-queries';
import { deadWhere, RECEIPT_SLACK_MS, runSearch, SearchPlan, textLow } from '../console-search';
import { Delivery, DeliveryStatus, StoredEvent } from '../store.types';
import { DeliveryRow, EventRow, toDelivery, toEvent } from '../row-mapper';
import { PAGE_CACHE_PRAGMA } from './sqlite-connection';

const SUMMARY = `e.id, e.event, e.event_id AS eventId, e.endpoint, e.received_at AS receivedAt, e.routed, e.resource_id AS resourceId`;

/** The console's reads on SQLite, on a read-only connection of their own (WAL: readers never block the writer). */
export class SqliteConsoleQueries extends ConsoleQueries {
  private readonly db: Db;

  constructor(path: string) {
    super();
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(PAGE_CACHE_PRAGMA);
  }

  /** The SQL of a search plan (the 1M-event test checks its query plan). */
  static sql(plan: SearchPlan): string {
    const where = plan.where.length ? `WHERE ${plan.where.join(' AND ')}` : '';
    if (plan.drive === 'deliveries') {
      // CROSS JOIN keeps deliveries(status, event_pk) as the outer loop: read in event order, stop at the page
      return `SELECT ${SUMMARY} FROM deliveries d CROSS JOIN events e ON e.id = d.event_pk ${where} GROUP BY d.event_pk ORDER BY d.event_pk DESC LIMIT @limit`;
    }
    return `SELECT ${SUMMARY} FROM events e ${where} ORDER BY e.id DESC LIMIT @limit`;
  }

  async searchEvents(search: EventSearch): Promise<EventPage> {
    const bounds = { ...this.idBounds(search), textLow: textLow(search, this.newestId()) };
    return runSearch(
      search,
      bounds,
      async (plan) => this.db.prepare(SqliteConsoleQueries.sql(plan)).all({ ...plan.params, limit: search.limit }) as Omit<EventRowSummary, 'deliveries'>[],
      async (ids) => this.db.prepare(`SELECT event_pk AS eventPk, status, COUNT(*) AS count FROM deliveries WHERE event_pk IN (${ids.map(() => '?').join(',')}) GROUP BY event_pk, status`)
        .all(...ids) as { eventPk: number; status: DeliveryStatus; count: number }[],
    );
  }

  async eventsSince(afterId: number, limit: number): Promise<EventRowSummary[]> {
    const rows = this.db.prepare(`SELECT ${SUMMARY} FROM events e WHERE e.id > ? ORDER BY e.id LIMIT ?`).all(afterId, limit) as Omit<EventRowSummary, 'deliveries'>[];
    return rows.map((row) => ({ ...row, deliveries: {} }));
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = this.db.prepare(`SELECT * FROM events WHERE id = ?`).get(id) as EventRow | undefined;
    return row && toEvent(row);
  }

  async deliveriesOf(eventPk: number): Promise<Delivery[]> {
    return (this.db.prepare(`SELECT * FROM deliveries WHERE event_pk = ? ORDER BY id`).all(eventPk) as DeliveryRow[]).map(toDelivery);
  }

  async deadBySink(): Promise<{ sink: string; count: number }[]> {
    return this.db.prepare(`SELECT sink, COUNT(*) AS count FROM deliveries WHERE status = 'dead' GROUP BY sink ORDER BY sink`).all() as { sink: string; count: number }[];
  }

  async deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const { where, params } = deadWhere(filter);
    const rows = this.db.prepare(`SELECT d.*, e.event AS ev_event, e.received_at AS ev_received_at, e.resource_id AS ev_resource_id
      FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where} ORDER BY d.id DESC LIMIT @limit`).all({ ...params, limit: filter.limit }) as (DeliveryRow & DeadJoin)[];
    return rows.map(toDeadLetter);
  }

  async countDeadLetters(filter: Omit<DeadLetterFilter, 'limit' | 'before'>): Promise<{ count: number; maxId: number }> {
    const { where, params } = deadWhere(filter);
    const row = this.db.prepare(`SELECT COUNT(*) AS count, COALESCE(MAX(d.id), 0) AS maxId FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where}`).get(params) as { count: number; maxId: number };
    return row;
  }

  async deadLetterIds(filter: Omit<DeadLetterFilter, 'limit' | 'before'>, limit: number): Promise<number[]> {
    const { where, params } = deadWhere(filter);
    return (this.db.prepare(`SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where} ORDER BY d.id LIMIT @limit`).all({ ...params, limit }) as { id: number }[]).map((r) => r.id);
  }

  async windowCounts(since: number): Promise<WindowCounts> {
    const accepted = (this.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE received_at >= ?`).get(since) as { n: number }).n;
    const deliveries = this.db.prepare(`SELECT d.sink, d.status, COUNT(*) AS count FROM events e JOIN deliveries d ON d.event_pk = e.id
      WHERE e.received_at >= ? GROUP BY d.sink, d.status ORDER BY d.sink, d.status`).all(since) as WindowCounts['deliveries'];
    const samples = this.db.prepare(`SELECT d.sink, d.updated_at - e.received_at AS ms FROM deliveries d JOIN events e ON e.id = d.event_pk
      WHERE d.status = 'delivered' AND d.updated_at >= ? ORDER BY d.updated_at DESC LIMIT ?`).all(since, LATENCY_SAMPLE) as { sink: string; ms: number }[];
    return { accepted, deliveries, latency: latencyBySink(samples) };
  }

  async series(since: number, bucketMs: number): Promise<Series> {
    const rows = this.db.prepare(`
      SELECT 'received' AS kind, CAST(received_at / @b AS INTEGER) AS bucket, COUNT(*) AS count FROM events WHERE received_at >= @since GROUP BY bucket
      UNION ALL
      SELECT status AS kind, CAST(updated_at / @b AS INTEGER) AS bucket, COUNT(*) AS count FROM deliveries
        WHERE status IN ('delivered', 'dead') AND updated_at >= @since GROUP BY status, bucket`).all({ b: bucketMs, since }) as { kind: string; bucket: number; count: number }[];
    return fillSeries(since, Date.now(), bucketMs, rows);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private newestId(): number {
    return (this.db.prepare(`SELECT COALESCE(MAX(id), 0) AS id FROM events`).get() as { id: number }).id;
  }

  /** A time range as id bounds (two seeks in the received_at index), so the page is read in id order. */
  private idBounds(search: EventSearch): { lowId?: number; highId?: number } {
    const bounds: { lowId?: number; highId?: number } = {};
    if (search.from !== undefined) {
      const row = this.db.prepare(`SELECT id FROM events WHERE received_at >= ? ORDER BY received_at LIMIT 1`).get(search.from - RECEIPT_SLACK_MS) as { id: number } | undefined;
      bounds.lowId = row?.id ?? Number.MAX_SAFE_INTEGER;
    }
    if (search.to !== undefined) {
      const row = this.db.prepare(`SELECT id FROM events WHERE received_at < ? ORDER BY received_at DESC LIMIT 1`).get(search.to + RECEIPT_SLACK_MS) as { id: number } | undefined;
      bounds.highId = row?.id ?? 0;
    }
    return bounds;
  }
}

interface DeadJoin {
  ev_event: string;
  ev_received_at: number;
  ev_resource_id: string | null;
}

function toDeadLetter(row: DeliveryRow & DeadJoin): DeadLetter {
  return { ...toDelivery(row), event: row.ev_event, receivedAt: Number(row.ev_received_at), resourceId: row.ev_resource_id };
}
