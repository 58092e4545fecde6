import { Database as Db } from 'better-sqlite3';
import { Migration, MigrationDriver } from '../migrate';

/**
 * A SQLite migration may add a step in code after its SQL, in the same transaction: what SQL alone cannot do on
 * SQLite (version 8 widens a CHECK constraint in the stored schema text).
 */
export interface SqliteMigration extends Migration {
  run?: (db: Db) => void;
}

/** The runner's hands on SQLite: an IMMEDIATE transaction per migration (one writer at a time anyway). */
export function sqliteMigrationDriver(db: Db): MigrationDriver<SqliteMigration> {
  return {
    async appliedVersions() {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      return (db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[]).map((r) => r.version);
    },
    async apply(migration, appliedAt) {
      db.transaction(() => {
        db.exec(migration.sql);
        migration.run?.(db);
        db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(migration.version, migration.name, appliedAt);
      }).immediate();
    },
  };
}

/** Versioned schema; append only. Each entry runs once, in its own transaction (see ../migrate.ts): `sql`, then `run`. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'events, deliveries, attempts',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        event_id TEXT,
        event TEXT NOT NULL,
        endpoint TEXT,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        routed INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_received_at ON events(received_at);
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        event_pk INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        route TEXT NOT NULL,
        sink TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        lease_until INTEGER,
        lease_token TEXT,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (event_pk, route, sink)
      );
      CREATE INDEX deliveries_due ON deliveries(sink, next_at) WHERE status IN ('pending', 'retrying');
      CREATE INDEX deliveries_status ON deliveries(status, updated_at);
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error TEXT
      );
      CREATE INDEX attempts_delivery ON attempts(delivery_id);
    `,
  },
  {
    version: 2,
    name: 'endpoint secrets captured from JoggAI',
    sql: `
      CREATE TABLE endpoint_secrets (
        endpoint_id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        secret TEXT NOT NULL,
        captured_at INTEGER NOT NULL
      );
      CREATE INDEX endpoint_secrets_endpoint ON endpoint_secrets(endpoint);
    `,
  },
  {
    version: 3,
    name: 'endpoint rotations in progress',
    sql: `CREATE TABLE rotations (name TEXT PRIMARY KEY, until INTEGER NOT NULL);`,
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
    sql: `CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);`,
  },
  {
    version: 6,
    name: 'per-key order, time paused by open circuits, open circuits',
    // Claims walk a sink's waiting deliveries in id order (deliveries_waiting); the order-key index answers
    // "is an earlier delivery of this key still waiting?" for each candidate.
    sql: `
      ALTER TABLE deliveries ADD COLUMN order_key TEXT;
      ALTER TABLE deliveries ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX deliveries_waiting ON deliveries(sink, id) WHERE status IN ('pending', 'retrying');
      CREATE INDEX deliveries_order_key ON deliveries(sink, order_key, id) WHERE status IN ('pending', 'retrying') AND order_key IS NOT NULL;
      DROP INDEX deliveries_due;
      CREATE TABLE sink_circuits (sink TEXT PRIMARY KEY, opened_at INTEGER NOT NULL);
    `,
  },
  {
    version: 7,
    name: 'console: events by resource id, by name, by delivery state',
    // resource_id: the id of the thing an event is about (video, task, avatar...), as resourceId() reads it; a
    // virtual column (computed, not stored) with an index, so finding "what happened to video X" is one seek.
    // Bodies are always JSON (the ingress refuses others); json_valid keeps a stray row from failing a write.
    sql: `
      ALTER TABLE events ADD COLUMN resource_id TEXT GENERATED ALWAYS AS (CASE WHEN json_valid(body) THEN CAST(COALESCE(
        json_extract(body, '$.data.video_id'), json_extract(body, '$.data.project_id'), json_extract(body, '$.data.avatar_id'),
        json_extract(body, '$.data.task_id'), json_extract(body, '$.data.photo_id'), json_extract(body, '$.data.motion_id')) AS TEXT) END) VIRTUAL;
      CREATE INDEX events_resource ON events(resource_id) WHERE resource_id IS NOT NULL;
      CREATE INDEX events_event ON events(event);
      CREATE INDEX deliveries_status_event ON deliveries(status, event_pk);
    `,
  },
  {
    version: 8,
    name: 'alerting: alert groups (a grouped route\'s events are members of a group sent as one delivery); silences',
    // One open group per (sink, route, key); members are stored at ingest with the event; a flush closes the group
    // and creates its delivery (deliveries.group_id) in one transaction.
    sql: `
      CREATE TABLE alert_groups (
        id INTEGER PRIMARY KEY,
        sink TEXT NOT NULL,
        route TEXT NOT NULL,
        group_key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'flushed')),
        opened_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        flushed_at INTEGER,
        members INTEGER NOT NULL DEFAULT 0,
        delivery_id INTEGER
      );
      CREATE UNIQUE INDEX alert_groups_open ON alert_groups(sink, route, group_key) WHERE state = 'open';
      CREATE INDEX alert_groups_due ON alert_groups(due_at) WHERE state = 'open';
      CREATE INDEX alert_groups_last ON alert_groups(sink, route, group_key, flushed_at) WHERE state = 'flushed';
      CREATE TABLE group_members (
        group_id INTEGER NOT NULL REFERENCES alert_groups(id) ON DELETE CASCADE,
        event_pk INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, event_pk)
      );
      CREATE INDEX group_members_event ON group_members(event_pk);
      ALTER TABLE deliveries ADD COLUMN group_id INTEGER;
      CREATE TABLE silences (
        id INTEGER PRIMARY KEY,
        matchers TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        comment TEXT NOT NULL,
        created_by TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX silences_ends ON silences(ends_at);
      ALTER TABLE deliveries ADD COLUMN silence_id INTEGER;
    `,
    run: allowSilencedStatus,
  },
  {
    version: 9,
    name: 'webhook answers per minute and outcome; the last sync result per JoggAI endpoint',
    // Each instance adds its in-memory counts every few seconds (an upsert per minute and outcome), so refused
    // requests are counted without a write each; housekeeping deletes minutes older than 8 days.
    sql: `
      CREATE TABLE answer_counts (
        minute INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (minute, outcome)
      ) WITHOUT ROWID;
      CREATE TABLE endpoint_sync (
        endpoint TEXT PRIMARY KEY,
        result TEXT NOT NULL CHECK (result IN ('in_sync', 'created', 'updated', 'failed')),
        at INTEGER NOT NULL,
        error TEXT,
        last_ok_at INTEGER
      );
    `,
  },
];

/**
 * Deliveries may be 'silenced': the status CHECK is widened in place. SQLite cannot alter a constraint, and
 * rebuilding the table would copy every delivery and its attempts; widening a CHECK changes nothing stored, which is
 * the case SQLite documents for editing the schema text (https://www.sqlite.org/lang_altertable.html#otheralter).
 */
function allowSilencedStatus(db: Db): void {
  const { sql } = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'deliveries'`).get() as { sql: string };
  const old = `CHECK (status IN ('pending', 'retrying', 'delivered', 'dead'))`;
  if (!sql.includes(old)) throw new Error('deliveries.status has an unexpected CHECK constraint');
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'deliveries'`)
      .run(sql.replace(old, `CHECK (status IN ('pending', 'retrying', 'delivered', 'dead', 'silenced'))`));
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
}
