import { Housekeeping } from '../ports/housekeeping';
import { SqliteEngine } from './sqlite-engine';

/** Retention and the readiness write on SQLite. */
export class SqliteHousekeeping extends Housekeeping {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  purgeDelivered(before: number): Promise<number> {
    return this.engine.write({ kind: 'purge', before });
  }

  /** A real write (the heartbeat row), and no write refused in the last seconds. */
  async ping(): Promise<void> {
    await this.engine.write({ kind: 'ping' });
    this.engine.health.check();
  }
}
