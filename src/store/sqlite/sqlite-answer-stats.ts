import { Database as Db } from 'better-sqlite3';
import { AnswerCount, AnswerStats } from '../ports/answer-stats';
import { EndpointSyncLog, EndpointSyncRecord, EndpointSyncStatus } from '../ports/endpoint-sync-log';
import { SqliteEngine } from './sqlite-engine';

/** The writer thread's side: counts are added to what is stored (instances and flushes add up). */
export function addAnswerCounts(db: Db, counts: readonly AnswerCount[]): number {
  const upsert = db.prepare(`INSERT INTO answer_counts (minute, outcome, count) VALUES (?, ?, ?)
                             ON CONFLICT (minute, outcome) DO UPDATE SET count = count + excluded.count`);
  for (const c of counts) upsert.run(c.minute, c.outcome, c.count);
  return counts.length;
}

export function purgeAnswerCounts(db: Db, before: number): number {
  return db.prepare(`DELETE FROM answer_counts WHERE minute < ?`).run(before).changes;
}

/** A failure keeps the time of the last success; a success sets it. */
export function recordSync(db: Db, records: readonly EndpointSyncRecord[]): number {
  const upsert = db.prepare(`INSERT INTO endpoint_sync (endpoint, result, at, error, last_ok_at)
                             VALUES (@endpoint, @result, @at, @error, CASE WHEN @result = 'failed' THEN NULL ELSE @at END)
                             ON CONFLICT (endpoint) DO UPDATE SET result = excluded.result, at = excluded.at, error = excluded.error,
                               last_ok_at = COALESCE(excluded.last_ok_at, endpoint_sync.last_ok_at)`);
  for (const r of records) upsert.run({ endpoint: r.endpoint, result: r.result, at: r.at, error: r.error });
  return records.length;
}

/** Webhook answer counts on SQLite: writes on the writer thread, reads on the main thread's connection. */
export class SqliteAnswerStats extends AnswerStats {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  async addAnswerCounts(counts: readonly AnswerCount[]): Promise<void> {
    if (counts.length) await this.engine.write({ kind: 'addAnswerCounts', counts });
  }

  async answerTotals(since: number): Promise<{ outcome: string; count: number }[]> {
    return this.engine.db.prepare(`SELECT outcome, SUM(count) AS count FROM answer_counts WHERE minute >= ? GROUP BY outcome ORDER BY outcome`)
      .all(since) as { outcome: string; count: number }[];
  }

  async answerSeries(since: number, bucketMs: number): Promise<{ bucket: number; outcome: string; count: number }[]> {
    return this.engine.db.prepare(`SELECT CAST(minute / @b AS INTEGER) AS bucket, outcome, SUM(count) AS count FROM answer_counts WHERE minute >= @since
                                   GROUP BY bucket, outcome ORDER BY bucket, outcome`).all({ b: bucketMs, since }) as { bucket: number; outcome: string; count: number }[];
  }

  purgeAnswerCounts(before: number): Promise<number> {
    return this.engine.write({ kind: 'purgeAnswerCounts', before });
  }
}

/** The last sync result per endpoint on SQLite. */
export class SqliteEndpointSyncLog extends EndpointSyncLog {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  async recordSync(records: readonly EndpointSyncRecord[]): Promise<void> {
    if (records.length) await this.engine.write({ kind: 'recordSync', records });
  }

  async listSync(): Promise<EndpointSyncStatus[]> {
    return this.engine.db.prepare(`SELECT endpoint, result, at, error, last_ok_at AS lastOkAt FROM endpoint_sync ORDER BY endpoint`).all() as EndpointSyncStatus[];
  }
}
