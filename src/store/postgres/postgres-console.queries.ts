import { Pool, types } from 'pg';
import {
  ConsoleQueries, DeadLetter, DeadLetterFilter, EventPage, EventRowSummary, EventSearch, fillSeries, LATENCY_SAMPLE, latencyBySink,
  Series, WindowCounts,
} from '../console-queries';
import { deadWhere, RECEIPT_SLACK_MS, runSearch, SearchPlan, textLow } from '../console-search';
import { Delivery, DeliveryStatus, StoredEvent } from '../store.types';
import { DeliveryRow, EventRow, toDelivery, toEvent } from '../row-mapper';

const SUMMARY = `e.id, e.event, e.event_id AS "eventId", e.endpoint, e.received_at AS "receivedAt", e.routed, jb_resource_id(e.body) AS "resourceId"`;

/** Named parameters (@name, fixed identifiers of ours) to PostgreSQL's positional ones. */
export function positional(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const names: string[] = [];
  const text = sql.replace(/@([a-zA-Z][a-zA-Z0-9]*)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for @${name}`);
    const at = names.indexOf(name);
    return `$${at >= 0 ? at + 1 : names.push(name)}`;
  });
  return { text, values: names.map((name) => params[name]) };
}

/** The console's reads on PostgreSQL, on a small pool of their own (a slow page never holds the ingest's connections). */
export class PostgresConsoleQueries extends ConsoleQueries {
  private readonly pool: Pool;

  constructor(options: { url: string; schema?: string }) {
    super();
    this.pool = new Pool({
      connectionString: options.url,
      max: 2,
      connectionTimeoutMillis: 5000,
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text')) } as never,
    });
    this.pool.on('error', () => undefined);
    const schema = options.schema?.replace(/"/g, '');
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined);
      if (schema) client.query(`SET search_path TO "${schema}"`).catch(() => undefined);
    });
  }

  static sql(plan: SearchPlan): string {
    const where = plan.where.map((w) => w.replace('e.resource_id', 'jb_resource_id(e.body)'));
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (plan.drive === 'deliveries') {
      return `SELECT ${SUMMARY} FROM events e WHERE e.id IN (SELECT DISTINCT d.event_pk FROM deliveries d JOIN events e ON e.id = d.event_pk ${clause}
        ORDER BY d.event_pk DESC LIMIT @limit) ORDER BY e.id DESC`;
    }
    return `SELECT ${SUMMARY} FROM events e ${clause} ORDER BY e.id DESC LIMIT @limit`;
  }

  async searchEvents(search: EventSearch): Promise<EventPage> {
    const newest = (await this.q<{ id: number }>(`SELECT COALESCE(MAX(id), 0) AS id FROM events`))[0].id;
    const bounds = { ...(await this.idBounds(search)), textLow: textLow(search, newest) };
    return runSearch(
      search,
      bounds,
      (plan) => this.q<Omit<EventRowSummary, 'deliveries'>>(PostgresConsoleQueries.sql(plan), { ...plan.params, limit: search.limit }),
      (ids) => this.q<{ eventPk: number; status: DeliveryStatus; count: number }>(
        `SELECT event_pk AS "eventPk", status, COUNT(*)::int AS count FROM deliveries WHERE event_pk = ANY(@ids) GROUP BY event_pk, status`, { ids }),
    );
  }

  async eventsSince(afterId: number, limit: number): Promise<EventRowSummary[]> {
    const rows = await this.q<Omit<EventRowSummary, 'deliveries'>>(`SELECT ${SUMMARY} FROM events e WHERE e.id > @after ORDER BY e.id LIMIT @limit`, { after: afterId, limit });
    return rows.map((row) => ({ ...row, deliveries: {} }));
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = (await this.q<EventRow>(`SELECT * FROM events WHERE id = @id`, { id }))[0];
    return row && toEvent(row);
  }

  async deliveriesOf(eventPk: number): Promise<Delivery[]> {
    return (await this.q<DeliveryRow>(`SELECT * FROM deliveries WHERE event_pk = @id ORDER BY id`, { id: eventPk })).map(toDelivery);
  }

  async deadBySink(): Promise<{ sink: string; count: number }[]> {
    return this.q<{ sink: string; count: number }>(`SELECT sink, COUNT(*)::int AS count FROM deliveries WHERE status = 'dead' GROUP BY sink ORDER BY sink`);
  }

  async deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const { where, params } = deadWhere(filter);
    const rows = await this.q<DeliveryRow & { ev_event: string; ev_received_at: number; ev_resource_id: string | null }>(
      `SELECT d.*, e.event AS ev_event, e.received_at AS ev_received_at, jb_resource_id(e.body) AS ev_resource_id
       FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where} ORDER BY d.id DESC LIMIT @limit`, { ...params, limit: filter.limit });
    return rows.map((row) => ({ ...toDelivery(row), event: row.ev_event, receivedAt: Number(row.ev_received_at), resourceId: row.ev_resource_id }));
  }

  async countDeadLetters(filter: Omit<DeadLetterFilter, 'limit' | 'before'>): Promise<{ count: number; maxId: number }> {
    const { where, params } = deadWhere(filter);
    return (await this.q<{ count: number; maxId: number }>(
      `SELECT COUNT(*)::int AS count, COALESCE(MAX(d.id), 0) AS "maxId" FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where}`, params))[0];
  }

  async deadLetterIds(filter: Omit<DeadLetterFilter, 'limit' | 'before'>, limit: number): Promise<number[]> {
    const { where, params } = deadWhere(filter);
    return (await this.q<{ id: number }>(`SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_pk WHERE ${where} ORDER BY d.id LIMIT @limit`, { ...params, limit })).map((r) => r.id);
  }

  async windowCounts(since: number): Promise<WindowCounts> {
    const [accepted, deliveries, samples] = await Promise.all([
      this.q<{ n: number }>(`SELECT COUNT(*)::int AS n FROM events WHERE received_at >= @since`, { since }),
      this.q<WindowCounts['deliveries'][number]>(`SELECT d.sink, d.status, COUNT(*)::int AS count FROM events e JOIN deliveries d ON d.event_pk = e.id
        WHERE e.received_at >= @since GROUP BY d.sink, d.status ORDER BY d.sink, d.status`, { since }),
      this.q<{ sink: string; ms: number }>(`SELECT d.sink, d.updated_at - e.received_at AS ms FROM deliveries d JOIN events e ON e.id = d.event_pk
        WHERE d.status = 'delivered' AND d.updated_at >= @since ORDER BY d.updated_at DESC LIMIT @limit`, { since, limit: LATENCY_SAMPLE }),
    ]);
    return { accepted: accepted[0].n, deliveries, latency: latencyBySink(samples) };
  }

  async series(since: number, bucketMs: number): Promise<Series> {
    const rows = await this.q<{ kind: string; bucket: number; count: number }>(`
      SELECT 'received' AS kind, received_at / @b AS bucket, COUNT(*)::int AS count FROM events WHERE received_at >= @since GROUP BY bucket
      UNION ALL
      SELECT status AS kind, updated_at / @b AS bucket, COUNT(*)::int AS count FROM deliveries
        WHERE status IN ('delivered', 'dead') AND updated_at >= @since GROUP BY status, bucket`, { b: bucketMs, since });
    return fillSeries(since, Date.now(), bucketMs, rows);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async idBounds(search: EventSearch): Promise<{ lowId?: number; highId?: number }> {
    const bounds: { lowId?: number; highId?: number } = {};
    if (search.from !== undefined) {
      const row = (await this.q<{ id: number }>(`SELECT id FROM events WHERE received_at >= @t ORDER BY received_at LIMIT 1`, { t: search.from - RECEIPT_SLACK_MS }))[0];
      bounds.lowId = row?.id ?? Number.MAX_SAFE_INTEGER;
    }
    if (search.to !== undefined) {
      const row = (await this.q<{ id: number }>(`SELECT id FROM events WHERE received_at < @t ORDER BY received_at DESC LIMIT 1`, { t: search.to + RECEIPT_SLACK_MS }))[0];
      bounds.highId = row?.id ?? 0;
    }
    return bounds;
  }

  private async q<R>(sql: string, params: Record<string, unknown> = {}): Promise<R[]> {
    const { text, values } = positional(sql, params);
    return (await this.pool.query(text, values)).rows as R[];
  }
}
