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
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_pk = events.id AND d.status NOT IN ('delivered', 'silenced'))
       -- alerting: nor while a group it is a member of has not been delivered
       AND NOT EXISTS (SELECT 1 FROM group_members m JOIN alert_groups g ON g.id = m.group_id LEFT JOIN deliveries gd ON gd.id = g.delivery_id
                       WHERE m.event_pk = events.id AND (gd.id IS NULL OR gd.status <> 'delivered'))`,
      [before],
    )).rowCount ?? 0);
  }

  /** A real write (one row, upserted), so a database that cannot write shows as down. */
  async ping(): Promise<void> {
    this.engine.health.check();
    await this.engine.write((c) => c.query('INSERT INTO heartbeat (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]));
  }
}
