import { PoolClient } from 'pg';
import { AlertGroup, AlertGroups, DIGEST_ROUTE, dueAt, GroupMember, GroupMembership, GroupQuery } from '../ports/alert-groups';
import { GroupRow, toGroup } from '../row-mapper';
import { PgEngine } from './pg-engine';

/** alerting: joins the event's group inside the ingest transaction (the group row locked, so a flush cannot close it meanwhile). */
export async function joinGroup(c: PoolClient, eventPk: number, route: string, sink: string, membership: GroupMembership, now: number): Promise<void> {
  const key = [sink, membership.route ?? route, membership.key];
  const open = `SELECT id FROM alert_groups WHERE sink = $1 AND route = $2 AND group_key = $3 AND state = 'open' FOR UPDATE`;
  let id = (await c.query(open, key)).rows[0]?.id as number | undefined;
  if (id === undefined) {
    const last = (await c.query(`SELECT MAX(flushed_at) AS at FROM alert_groups WHERE sink = $1 AND route = $2 AND group_key = $3 AND state = 'flushed'`, key)).rows[0].at;
    id = (await c.query(
      `INSERT INTO alert_groups (sink, route, group_key, state, opened_at, due_at) VALUES ($1, $2, $3, 'open', $4, $5)
       ON CONFLICT (sink, route, group_key) WHERE state = 'open' DO NOTHING RETURNING id`,
      [...key, now, dueAt(now, membership, last === null ? null : Number(last))],
    )).rows[0]?.id;
    // another instance opened it in the meantime: join that one
    id ??= (await c.query(open, key)).rows[0].id as number;
  }
  // an event routed to a digest's sink by two routes is one member
  if (!(await c.query('INSERT INTO group_members (group_id, event_pk) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, eventPk])).rowCount) return;
  await c.query('UPDATE alert_groups SET members = members + 1, due_at = GREATEST(due_at, $2) WHERE id = $1', [id, membership.notBefore ?? 0]);
}

/** The groups port on PostgreSQL: flushes lock due groups with SKIP LOCKED, so instances never flush one group twice. */
export class PgAlertGroups extends AlertGroups {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  flushDue(now: number): Promise<AlertGroup[]> {
    return this.engine.write(async (c) => {
      const due = (await c.query(
        `SELECT * FROM alert_groups WHERE state = 'open' AND due_at <= $1 ORDER BY due_at, id FOR UPDATE SKIP LOCKED`, [now],
      )).rows as GroupRow[];
      const flushed: AlertGroup[] = [];
      for (const row of due) {
        const { count, first } = (await c.query('SELECT COUNT(*) AS count, MIN(event_pk) AS first FROM group_members WHERE group_id = $1', [row.id])).rows[0];
        const delivery = first === null ? null : Number((await c.query(
          `INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, group_id)
           VALUES ($1, $2, $3, 'pending', 0, $4, $4, $4, $5) RETURNING id`,
          [first, row.route, row.sink, now, row.id],
        )).rows[0].id);
        await c.query(`UPDATE alert_groups SET state = 'flushed', flushed_at = $2, members = $3, delivery_id = $4 WHERE id = $1`, [row.id, now, count, delivery]);
        flushed.push(toGroup({ ...row, state: 'flushed', flushed_at: now, members: Number(count), delivery_id: delivery }));
      }
      return flushed;
    });
  }

  emptyDigest(sink: string, key: string, periodEnd: number, now: number): Promise<AlertGroup | null> {
    return this.engine.write(async (c) => {
      const names = [sink, DIGEST_ROUTE, key];
      if ((await c.query('SELECT 1 FROM alert_groups WHERE sink = $1 AND route = $2 AND group_key = $3', names)).rowCount) return null;
      const seconds = Math.floor(periodEnd / 1000);
      const body = JSON.stringify({ event: 'jogg-bridge.digest', timestamp: seconds, data: { sink, period_end: new Date(periodEnd).toISOString() } });
      // the dedupe key makes the digest once only, whichever instance gets here first
      const event = (await c.query(
        `INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
         VALUES ($1, NULL, 'jogg-bridge.digest', NULL, $2, $3, 1, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [`digest:${sink}:${key}`, seconds, now, body],
      )).rows[0];
      if (!event) return null;
      const group = (await c.query(
        `INSERT INTO alert_groups (sink, route, group_key, state, opened_at, due_at, flushed_at, members) VALUES ($1, $2, $3, 'flushed', $4, $5, $4, 0) RETURNING *`,
        [...names, now, periodEnd],
      )).rows[0] as GroupRow;
      const delivery = Number((await c.query(
        `INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, group_id)
         VALUES ($1, $2, $3, 'pending', 0, $4, $4, $4, $5) RETURNING id`,
        [event.id, DIGEST_ROUTE, sink, now, group.id],
      )).rows[0].id);
      await c.query('UPDATE alert_groups SET delivery_id = $2 WHERE id = $1', [group.id, delivery]);
      return toGroup({ ...group, delivery_id: delivery });
    });
  }

  async nextDueAt(): Promise<number | null> {
    const at = (await this.engine.read<{ at: number | null }>(`SELECT MIN(due_at) AS at FROM alert_groups WHERE state = 'open'`))[0].at;
    return at === null ? null : Number(at);
  }

  async getGroup(id: number): Promise<AlertGroup | undefined> {
    const row = (await this.engine.read<GroupRow>('SELECT * FROM alert_groups WHERE id = $1', [id]))[0];
    return row && toGroup(row);
  }

  async listGroups(query: GroupQuery): Promise<AlertGroup[]> {
    const rows = await this.engine.read<GroupRow>(
      `SELECT * FROM alert_groups g WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR sink = $2) AND ($3::bigint IS NULL OR id < $3)
       AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.event_pk = $4))
       ORDER BY id DESC LIMIT $5`,
      [query.state ?? null, query.sink ?? null, query.before ?? null, query.eventPk ?? null, query.limit ?? 100],
    );
    return rows.map(toGroup);
  }

  async members(groupId: number, limit: number, failedOnly = false): Promise<GroupMember[]> {
    const rows = await this.engine.read<{ group_id: number; id: number; event: string; body: string; received_at: number }>(
      `SELECT m.group_id, e.id, e.event, e.body, e.received_at FROM group_members m JOIN events e ON e.id = m.event_pk
       WHERE m.group_id = $1 AND (NOT $3 OR e.event LIKE '%\\_failed' ESCAPE '\\') ORDER BY m.event_pk LIMIT $2`,
      [groupId, limit, failedOnly],
    );
    return rows.map((r) => ({ groupId: Number(r.group_id), eventPk: Number(r.id), event: r.event, body: r.body, receivedAt: Number(r.received_at) }));
  }

  async memberCounts(groupId: number): Promise<{ event: string; count: number }[]> {
    const rows = await this.engine.read<{ event: string; count: number }>(
      `SELECT e.event, COUNT(*) AS count FROM group_members m JOIN events e ON e.id = m.event_pk WHERE m.group_id = $1
       GROUP BY e.event ORDER BY count DESC, e.event`,
      [groupId],
    );
    return rows.map((r) => ({ event: r.event, count: Number(r.count) }));
  }
}
