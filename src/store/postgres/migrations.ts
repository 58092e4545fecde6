import { ClientBase } from 'pg';
import { Migration, MigrationDriver } from '../migrate';

/** The runner's hands on PostgreSQL: one session (holding the migration lock), one transaction per migration. */
export function postgresMigrationDriver(client: ClientBase): MigrationDriver {
  return {
    async appliedVersions() {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      return (await client.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number);
    },
    async apply(migration, appliedAt) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, appliedAt]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
  };
}

/** Versioned schema for PostgreSQL; append only. Applied under an advisory lock, so instances starting together do not race. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, deliveries, attempts, endpoint secrets, rotations',
    sql: `
      CREATE TABLE events (
        id BIGSERIAL PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        event_id TEXT,
        event TEXT NOT NULL,
        endpoint TEXT,
        timestamp BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        routed INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_received_at ON events(received_at);
      CREATE TABLE deliveries (
        id BIGSERIAL PRIMARY KEY,
        event_pk BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        route TEXT NOT NULL,
        sink TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at BIGINT NOT NULL,
        lease_until BIGINT,
        lease_token TEXT,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        UNIQUE (event_pk, route, sink)
      );
      CREATE INDEX deliveries_due ON deliveries(sink, next_at) WHERE status IN ('pending', 'retrying');
      CREATE INDEX deliveries_status ON deliveries(status, updated_at);
      CREATE TABLE attempts (
        id BIGSERIAL PRIMARY KEY,
        delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        started_at BIGINT NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error TEXT
      );
      CREATE INDEX attempts_delivery ON attempts(delivery_id);
      CREATE TABLE endpoint_secrets (
        endpoint_id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        secret TEXT NOT NULL,
        captured_at BIGINT NOT NULL
      );
      CREATE TABLE rotations (name TEXT PRIMARY KEY, until BIGINT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'due index ordered like the claim (sink, next_at, id)',
    // Claims read ORDER BY next_at, id; without id in the index every claim sorted all waiting rows of the sink.
    sql: `
      CREATE INDEX deliveries_due_ordered ON deliveries(sink, next_at, id) WHERE status IN ('pending', 'retrying');
      DROP INDEX deliveries_due;
    `,
  },
  {
    version: 3,
    name: 'claim_due(): the claim, always walking the due index in order',
    // Statistics lag behind a fast-growing backlog (the table looks nearly empty until autovacuum's next
    // analyze), and the planner then sorted every waiting row of the sink on each claim: tens of ms per claim
    // once the backlog was large. A function's SET clauses hold for its own statements only, in one round trip.
    sql: `
      CREATE FUNCTION claim_due(p_sink TEXT, p_now BIGINT, p_limit INTEGER, p_until BIGINT, p_token TEXT)
      RETURNS SETOF deliveries LANGUAGE sql SET enable_sort = off SET enable_bitmapscan = off AS $$
        UPDATE deliveries SET lease_until = p_until, lease_token = p_token
        WHERE id IN (SELECT id FROM deliveries WHERE sink = p_sink AND status IN ('pending', 'retrying') AND next_at <= p_now
                     AND (lease_until IS NULL OR lease_until <= p_now) ORDER BY next_at, id LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING *
      $$;
    `,
  },
  {
    version: 4,
    name: 'attempts kept across a replay (the retry budget counts from attempts_before_replay)',
    sql: `ALTER TABLE deliveries ADD COLUMN attempts_before_replay INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 5,
    name: 'heartbeat row written by the readiness probe',
    // /readyz must prove the store can write: an UPDATE that matches nothing writes nothing and passes on a full disk
    sql: `CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at BIGINT NOT NULL);`,
  },
  {
    version: 6,
    name: 'per-key order, time paused by open circuits, open circuits; claim_due() in id order',
    // Claims walk a sink's waiting deliveries in id order. A keyed delivery is claimed only when every earlier
    // waiting delivery of its key is claimable now and is claimed with it: the candidates (locked, SKIP LOCKED)
    // lose those whose earlier one is missing from them, which also covers one that another instance holds
    // locked in a claim that has not committed yet.
    sql: `
      ALTER TABLE deliveries ADD COLUMN order_key TEXT;
      ALTER TABLE deliveries ADD COLUMN paused_ms BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX deliveries_waiting ON deliveries(sink, id) WHERE status IN ('pending', 'retrying');
      CREATE INDEX deliveries_order_key ON deliveries(sink, order_key, id) WHERE status IN ('pending', 'retrying') AND order_key IS NOT NULL;
      DROP INDEX deliveries_due_ordered;
      CREATE TABLE sink_circuits (sink TEXT PRIMARY KEY, opened_at BIGINT NOT NULL);
      DROP FUNCTION claim_due(TEXT, BIGINT, INTEGER, BIGINT, TEXT);
      CREATE FUNCTION claim_due(p_sink TEXT, p_now BIGINT, p_limit INTEGER, p_until BIGINT, p_token TEXT)
      RETURNS SETOF deliveries LANGUAGE sql SET enable_sort = off SET enable_bitmapscan = off AS $$
        WITH cand AS (
          SELECT id, order_key FROM deliveries d
          WHERE sink = p_sink AND status IN ('pending', 'retrying') AND next_at <= p_now AND (lease_until IS NULL OR lease_until <= p_now)
            AND (order_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM deliveries e WHERE e.sink = p_sink AND e.order_key = d.order_key AND e.id < d.id
                AND e.status IN ('pending', 'retrying') AND (e.next_at > p_now OR e.lease_until > p_now)))
          ORDER BY id LIMIT p_limit FOR UPDATE SKIP LOCKED
        ), ok AS (
          SELECT c.id FROM cand c WHERE c.order_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM deliveries e WHERE e.sink = p_sink AND e.order_key = c.order_key AND e.id < c.id
              AND e.status IN ('pending', 'retrying') AND e.id NOT IN (SELECT id FROM cand))
        )
        UPDATE deliveries SET lease_until = p_until, lease_token = p_token WHERE id IN (SELECT id FROM ok)
        RETURNING *
      $$;
    `,
  },
  {
    version: 7,
    name: 'console: events by resource id, by name, by delivery state',
    // jb_resource_id: the id of the thing an event is about (video, task, avatar...), as resourceId() reads it,
    // indexed as an expression. A body that is not JSON (the ingress refuses those) gives NULL, never a failed write.
    sql: `
      CREATE FUNCTION jb_resource_id(body TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE data JSONB;
      BEGIN
        data := body::jsonb -> 'data';
        RETURN COALESCE(data ->> 'video_id', data ->> 'project_id', data ->> 'avatar_id', data ->> 'task_id', data ->> 'photo_id', data ->> 'motion_id');
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$;
      CREATE INDEX events_resource ON events (jb_resource_id(body)) WHERE jb_resource_id(body) IS NOT NULL;
      CREATE INDEX events_event ON events(event, id);
      CREATE INDEX deliveries_status_event ON deliveries(status, event_pk);
    `,
  },
  {
    version: 8,
    name: 'alerting: alert groups (a grouped route\'s events are members of a group sent as one delivery); silences',
    // One open group per (sink, route, key) (a unique index: instances ingesting the same key at once join one group);
    // members are stored at ingest with the event; a flush closes the group and creates its delivery
    // (deliveries.group_id) in one transaction.
    sql: `
      CREATE TABLE alert_groups (
        id BIGSERIAL PRIMARY KEY,
        sink TEXT NOT NULL,
        route TEXT NOT NULL,
        group_key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'flushed')),
        opened_at BIGINT NOT NULL,
        due_at BIGINT NOT NULL,
        flushed_at BIGINT,
        members INTEGER NOT NULL DEFAULT 0,
        delivery_id BIGINT
      );
      CREATE UNIQUE INDEX alert_groups_open ON alert_groups(sink, route, group_key) WHERE state = 'open';
      CREATE INDEX alert_groups_due ON alert_groups(due_at) WHERE state = 'open';
      CREATE INDEX alert_groups_last ON alert_groups(sink, route, group_key, flushed_at) WHERE state = 'flushed';
      CREATE TABLE group_members (
        group_id BIGINT NOT NULL REFERENCES alert_groups(id) ON DELETE CASCADE,
        event_pk BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, event_pk)
      );
      CREATE INDEX group_members_event ON group_members(event_pk);
      ALTER TABLE deliveries ADD COLUMN group_id BIGINT;
      CREATE TABLE silences (
        id BIGSERIAL PRIMARY KEY,
        matchers TEXT NOT NULL,
        starts_at BIGINT NOT NULL,
        ends_at BIGINT NOT NULL,
        comment TEXT NOT NULL,
        created_by TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX silences_ends ON silences(ends_at);
      ALTER TABLE deliveries ADD COLUMN silence_id BIGINT;
      ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
      ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'retrying', 'delivered', 'dead', 'silenced'));
    `,
  },
  {
    version: 9,
    name: 'webhook answers per minute and outcome; the last sync result per JoggAI endpoint',
    // Each instance adds its in-memory counts every few seconds (an upsert per minute and outcome), so refused
    // requests are counted without a write each; housekeeping deletes minutes older than 8 days.
    sql: `
      CREATE TABLE answer_counts (
        minute BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (minute, outcome)
      );
      CREATE TABLE endpoint_sync (
        endpoint TEXT PRIMARY KEY,
        result TEXT NOT NULL CHECK (result IN ('in_sync', 'created', 'updated', 'failed')),
        at BIGINT NOT NULL,
        error TEXT,
        last_ok_at BIGINT
      );
    `,
  },
];
