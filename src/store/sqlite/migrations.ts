import { Database as Db } from 'better-sqlite3';
import { Migration, MigrationDriver } from '../migrate';

/** The runner's hands on SQLite: an IMMEDIATE transaction per migration (one writer at a time anyway). */
export function sqliteMigrationDriver(db: Db): MigrationDriver {
  return {
    async appliedVersions() {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      return (db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[]).map((r) => r.version);
    },
    async apply(migration, appliedAt) {
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(migration.version, migration.name, appliedAt);
      }).immediate();
    },
  };
}

/** Versioned schema; append only. Each entry runs once, in its own transaction (see ../migrate.ts). */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
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
];
