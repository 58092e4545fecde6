import { PoolClient } from 'pg';
import { EventRow, toEvent } from '../row-mapper';
import { EventInbox } from '../ports/event-inbox';
import { randomUUID } from 'node:crypto';
import { EventQuery, handedOff, IngestResult, leasedAtIngest, LeasedAtIngest, NewEvent, StoredEvent } from '../store.types';
import { PgEngine } from './pg-engine';
import { joinGroup } from './pg-groups';

/** The inbox on PostgreSQL: the ingests of one group commit share one multi-row INSERT; dedupe by a unique key. */
export class PgEventInbox extends EventInbox {
  private readonly ingestGrouped: (event: NewEvent) => Promise<IngestResult>;

  constructor(private readonly engine: PgEngine) {
    super();
    this.ingestGrouped = engine.group('ingest', (client, events: readonly NewEvent[]) => this.ingestMany(client, events));
  }

  ingest(event: NewEvent): Promise<IngestResult> {
    return this.ingestGrouped(event);
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
      status: [] as string[], silence: [] as (number | null)[], next: [] as number[], leaseUntil: [] as (number | null)[],
    };
    // hand-off: one lease token for the deliveries of this group inserted leased, found again by (event, route, sink)
    const token = randomUUID();
    const leasedAt = new Map<string, { event: NewEvent; at: number }>();
    for (const e of candidates) {
      if (!fresh.has(e.dedupeKey)) continue;
      for (const [at, d] of e.deliveries.entries()) {
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
        // alerting: a silenced delivery is recorded, not sent; active time holds it until `notBefore`
        rows.status.push(d.silenceId !== undefined ? 'silenced' : 'pending');
        rows.silence.push(d.silenceId ?? null);
        rows.next.push(d.notBefore ?? e.receivedAt);
        const leased = leasedAtIngest(d);
        rows.leaseUntil.push(leased ? d.leaseUntil : null);
        if (leased) leasedAt.set(`${ids.get(e.dedupeKey)} ${d.route} ${d.sink}`, { event: e, at });
      }
    }
    const leased = new Map<NewEvent, LeasedAtIngest>();
    if (rows.event.length) {
      const inserted = (await c.query(
        `INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, order_key, silence_id, lease_until, lease_token)
         SELECT e, r, s, st, 0, n, t, t, k, si, lu, CASE WHEN lu IS NULL THEN NULL ELSE $10 END
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[])
           AS x(e, r, s, t, k, st, si, n, lu)
         ON CONFLICT DO NOTHING RETURNING id, event_pk, route, sink, lease_token`,
        [rows.event, rows.route, rows.sink, rows.at, rows.key, rows.status, rows.silence, rows.next, rows.leaseUntil, token],
      )).rows as { id: string; event_pk: string; route: string; sink: string; lease_token: string | null }[];
      for (const row of inserted) {
        const hit = row.lease_token && leasedAt.get(`${row.event_pk} ${row.route} ${row.sink}`);
        if (!hit) continue;
        const entry = leased.get(hit.event) ?? { token, deliveries: [] };
        entry.deliveries.push({ at: hit.at, id: Number(row.id) });
        leased.set(hit.event, entry);
      }
    }
    return events.map((e, i) => {
      const id = ids.get(e.dedupeKey);
      if (id === undefined) throw new Error(`event ${e.dedupeKey} was neither inserted nor found`);
      const duplicate = !(fresh.has(e.dedupeKey) && first.get(e.dedupeKey) === i);
      const mine = duplicate ? undefined : leased.get(e);
      return mine ? { id, duplicate, claimed: handedOff(e, id, sorted(mine)) } : { id, duplicate };
    });
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = (await this.engine.read<EventRow>('SELECT * FROM events WHERE id = $1', [id]))[0];
    return row && toEvent(row);
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    const rows = await this.engine.read<EventRow>(
      `SELECT * FROM events WHERE ($1::text IS NULL OR event = $1) AND ($2::bigint IS NULL OR received_at >= $2)
       AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [query.event ?? null, query.since ?? null, query.before ?? null, query.limit ?? 100],
    );
    return rows.map(toEvent);
  }
}

/** In the order of the event's deliveries (RETURNING does not promise the input's order). */
function sorted(leased: LeasedAtIngest): LeasedAtIngest {
  return { token: leased.token, deliveries: [...leased.deliveries].sort((a, b) => a.at - b.at) };
}
