import { AnswerCount, AnswerStats } from '../ports/answer-stats';
import { EndpointSyncLog, EndpointSyncRecord, EndpointSyncStatus } from '../ports/endpoint-sync-log';
import { PgEngine } from './pg-engine';

/** Webhook answer counts on PostgreSQL: every instance adds its own to the same rows. */
export class PgAnswerStats extends AnswerStats {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  async addAnswerCounts(counts: readonly AnswerCount[]): Promise<void> {
    if (!counts.length) return;
    // one statement for the whole flush; rows sorted so two instances upserting the same rows lock them in one order
    const rows = [...counts].sort((a, b) => a.minute - b.minute || a.outcome.localeCompare(b.outcome));
    await this.engine.write((c) => c.query(
      `INSERT INTO answer_counts (minute, outcome, count) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
       ON CONFLICT (minute, outcome) DO UPDATE SET count = answer_counts.count + excluded.count`,
      [rows.map((r) => r.minute), rows.map((r) => r.outcome), rows.map((r) => r.count)],
    ));
  }

  async answerTotals(since: number): Promise<{ outcome: string; count: number }[]> {
    const rows = await this.engine.read<{ outcome: string; count: string | number }>(
      'SELECT outcome, SUM(count) AS count FROM answer_counts WHERE minute >= $1 GROUP BY outcome ORDER BY outcome', [since]);
    return rows.map((r) => ({ outcome: r.outcome, count: Number(r.count) }));
  }

  async answerSeries(since: number, bucketMs: number): Promise<{ bucket: number; outcome: string; count: number }[]> {
    const rows = await this.engine.read<{ bucket: string | number; outcome: string; count: string | number }>(
      'SELECT minute / $2 AS bucket, outcome, SUM(count) AS count FROM answer_counts WHERE minute >= $1 GROUP BY 1, 2 ORDER BY 1, 2', [since, bucketMs]);
    return rows.map((r) => ({ bucket: Number(r.bucket), outcome: r.outcome, count: Number(r.count) }));
  }

  purgeAnswerCounts(before: number): Promise<number> {
    return this.engine.write(async (c) => (await c.query('DELETE FROM answer_counts WHERE minute < $1', [before])).rowCount ?? 0);
  }
}

/** The last sync result per endpoint on PostgreSQL (whichever instance ran the sync). */
export class PgEndpointSyncLog extends EndpointSyncLog {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  async recordSync(records: readonly EndpointSyncRecord[]): Promise<void> {
    if (!records.length) return;
    await this.engine.write(async (c) => {
      for (const r of records) {
        await c.query(
          `INSERT INTO endpoint_sync (endpoint, result, at, error, last_ok_at) VALUES ($1, $2, $3, $4, CASE WHEN $2 = 'failed' THEN NULL ELSE $3::bigint END)
           ON CONFLICT (endpoint) DO UPDATE SET result = excluded.result, at = excluded.at, error = excluded.error,
             last_ok_at = COALESCE(excluded.last_ok_at, endpoint_sync.last_ok_at)`,
          [r.endpoint, r.result, r.at, r.error],
        );
      }
    });
  }

  async listSync(): Promise<EndpointSyncStatus[]> {
    const rows = await this.engine.read<{ endpoint: string; result: EndpointSyncStatus['result']; at: number; error: string | null; last_ok_at: number | null }>(
      'SELECT endpoint, result, at, error, last_ok_at FROM endpoint_sync ORDER BY endpoint');
    return rows.map((r) => ({ endpoint: r.endpoint, result: r.result, at: r.at, error: r.error, lastOkAt: r.last_ok_at }));
  }
}
