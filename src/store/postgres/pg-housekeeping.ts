import { Housekeeping } from '../ports/housekeeping';
import { PgEngine } from './pg-engine';

/** Retention and the readiness write on PostgreSQL. */
export class PgHousekeeping extends Housekeeping {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  purgeDelivered(before: number): Promise<number> {
    return this.engine.write(async (c) => (await c.query(
      `DELETE FROM events WHERE received_at < $1
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_pk = events.id AND d.status <> 'delivered')`,
      [before],
    )).rowCount ?? 0);
  }

  /** A real write (one row, upserted), so a database that cannot write shows as down. */
  async ping(): Promise<void> {
    this.engine.health.check();
    await this.engine.write((c) => c.query('INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]));
  }
}
