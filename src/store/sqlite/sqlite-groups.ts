import { Database as Db, Statement } from 'better-sqlite3';
import { AlertGroup, AlertGroups, DIGEST_ROUTE, dueAt, GroupMember, GroupMembership, GroupQuery } from '../ports/alert-groups';
import { GroupRow, toGroup } from '../row-mapper';
import { SqliteEngine } from './sqlite-engine';

/** The writer thread's side: joining groups inside the ingest transaction, and flushing. */
export class SqliteGroupWriter {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.stmts = prepare(db);
  }

  /** The event joins the open group of its (sink, route, key), opening one when there is none. */
  join(eventPk: number, route: string, sink: string, membership: GroupMembership, now: number): void {
    const key = { sink, route: membership.route ?? route, group_key: membership.key };
    let group = this.stmts.openGroup.get(key) as { id: number } | undefined;
    if (!group) {
      const last = (this.stmts.lastFlush.get(key) as { at: number | null }).at;
      group = this.stmts.insertGroup.get({ ...key, now, due_at: dueAt(now, membership, last) }) as { id: number };
    }
    // an event routed to a digest's sink by two routes is one member
    if (!this.stmts.insertMember.run({ group_id: group.id, event_pk: eventPk }).changes) return;
    this.stmts.countMember.run({ id: group.id, not_before: membership.notBefore ?? 0 });
  }

  /** See AlertGroups.emptyDigest. */
  emptyDigest(sink: string, key: string, periodEnd: number, now: number): AlertGroup | null {
    if (this.stmts.anyGroup.get({ sink, route: DIGEST_ROUTE, group_key: key })) return null;
    const event = this.stmts.insertDigestEvent.get({
      dedupe_key: `digest:${sink}:${key}`, timestamp: Math.floor(periodEnd / 1000), now,
      body: JSON.stringify({ event: 'jogg-bridge.digest', timestamp: Math.floor(periodEnd / 1000), data: { sink, period_end: new Date(periodEnd).toISOString() } }),
    }) as { id: number } | undefined;
    if (!event) return null;
    const group = this.stmts.insertClosedGroup.get({ sink, route: DIGEST_ROUTE, group_key: key, now, due_at: periodEnd }) as GroupRow;
    const delivery = (this.stmts.insertDelivery.get({ event_pk: event.id, route: DIGEST_ROUTE, sink, now, group_id: group.id }) as { id: number }).id;
    this.stmts.flush.run({ id: group.id, now, members: 0, delivery_id: delivery });
    return toGroup({ ...group, delivery_id: delivery });
  }

  /** Closes the due groups, each with its one delivery (for the first member's event), in the caller's transaction. */
  flushDue(now: number): AlertGroup[] {
    const due = this.stmts.dueGroups.all({ now }) as GroupRow[];
    return due.map((row) => {
      const { count, first } = this.stmts.memberSummary.get(row.id) as { count: number; first: number | null };
      const delivery = first === null ? null
        : (this.stmts.insertDelivery.get({ event_pk: first, route: row.route, sink: row.sink, now, group_id: row.id }) as { id: number }).id;
      this.stmts.flush.run({ id: row.id, now, members: count, delivery_id: delivery });
      return toGroup({ ...row, state: 'flushed', flushed_at: now, members: count, delivery_id: delivery });
    });
  }
}

function prepare(db: Db) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    anyGroup: s(`SELECT 1 FROM alert_groups WHERE sink = @sink AND route = @route AND group_key = @group_key`),
    insertDigestEvent: s(`INSERT INTO events (dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
                          VALUES (@dedupe_key, NULL, 'jogg-bridge.digest', NULL, @timestamp, @now, 1, @body) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`),
    insertClosedGroup: s(`INSERT INTO alert_groups (sink, route, group_key, state, opened_at, due_at, flushed_at, members)
                          VALUES (@sink, @route, @group_key, 'flushed', @now, @due_at, @now, 0) RETURNING *`),
    openGroup: s(`SELECT id FROM alert_groups WHERE sink = @sink AND route = @route AND group_key = @group_key AND state = 'open'`),
    lastFlush: s(`SELECT MAX(flushed_at) AS at FROM alert_groups WHERE sink = @sink AND route = @route AND group_key = @group_key AND state = 'flushed'`),
    insertGroup: s(`INSERT INTO alert_groups (sink, route, group_key, state, opened_at, due_at) VALUES (@sink, @route, @group_key, 'open', @now, @due_at)
                    RETURNING id`),
    insertMember: s(`INSERT INTO group_members (group_id, event_pk) VALUES (@group_id, @event_pk) ON CONFLICT DO NOTHING`),
    countMember: s(`UPDATE alert_groups SET members = members + 1, due_at = MAX(due_at, @not_before) WHERE id = @id`),
    dueGroups: s(`SELECT * FROM alert_groups WHERE state = 'open' AND due_at <= @now ORDER BY due_at, id`),
    memberSummary: s(`SELECT COUNT(*) AS count, MIN(event_pk) AS first FROM group_members WHERE group_id = ?`),
    insertDelivery: s(`INSERT INTO deliveries (event_pk, route, sink, status, attempts, next_at, created_at, updated_at, group_id)
                       VALUES (@event_pk, @route, @sink, 'pending', 0, @now, @now, @now, @group_id) RETURNING id`),
    flush: s(`UPDATE alert_groups SET state = 'flushed', flushed_at = @now, members = @members, delivery_id = @delivery_id WHERE id = @id`),
  };
}

/** The groups port on SQLite: reads on the main thread's connection; flushes and digests go to the writer thread. */
export class SqliteAlertGroups extends AlertGroups {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  private get db(): Db {
    return this.engine.db;
  }

  flushDue(now: number): Promise<AlertGroup[]> {
    return this.engine.write({ kind: 'flushGroups', now });
  }

  emptyDigest(sink: string, key: string, periodEnd: number, now: number): Promise<AlertGroup | null> {
    return this.engine.write({ kind: 'emptyDigest', sink, key, periodEnd, now });
  }

  async nextDueAt(): Promise<number | null> {
    return (this.db.prepare(`SELECT MIN(due_at) AS at FROM alert_groups WHERE state = 'open'`).get() as { at: number | null }).at;
  }

  async getGroup(id: number): Promise<AlertGroup | undefined> {
    const row = this.db.prepare(`SELECT * FROM alert_groups WHERE id = ?`).get(id) as GroupRow | undefined;
    return row && toGroup(row);
  }

  async listGroups(query: GroupQuery): Promise<AlertGroup[]> {
    const rows = this.db.prepare(
      `SELECT * FROM alert_groups g WHERE (@state IS NULL OR state = @state) AND (@sink IS NULL OR sink = @sink)
       AND (@before IS NULL OR id < @before)
       AND (@event_pk IS NULL OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.event_pk = @event_pk))
       ORDER BY id DESC LIMIT @limit`,
    ).all({ state: query.state ?? null, sink: query.sink ?? null, before: query.before ?? null, event_pk: query.eventPk ?? null, limit: query.limit ?? 100 }) as GroupRow[];
    return rows.map(toGroup);
  }

  async members(groupId: number, limit: number, failedOnly = false): Promise<GroupMember[]> {
    return this.db.prepare(
      `SELECT m.group_id AS groupId, e.id AS eventPk, e.event, e.body, e.received_at AS receivedAt
       FROM group_members m JOIN events e ON e.id = m.event_pk WHERE m.group_id = ? AND (? = 0 OR e.event LIKE '%\\_failed' ESCAPE '\\')
       ORDER BY m.event_pk LIMIT ?`,
    ).all(groupId, failedOnly ? 1 : 0, limit) as GroupMember[];
  }

  async memberCounts(groupId: number): Promise<{ event: string; count: number }[]> {
    return this.db.prepare(
      `SELECT e.event, COUNT(*) AS count FROM group_members m JOIN events e ON e.id = m.event_pk WHERE m.group_id = ?
       GROUP BY e.event ORDER BY count DESC, e.event`,
    ).all(groupId) as { event: string; count: number }[];
  }
}
