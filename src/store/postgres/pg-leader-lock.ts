import { PoolClient } from 'pg';
import { LeaderLock } from '../ports/leader-lock';
import { PgEngine } from './pg-engine';

const LEADER_LOCK = 7_260_432; // advisory lock id for the leader (sync loop, housekeeping)

/** Leadership on PostgreSQL: an advisory lock held by a session of its own, which dies with this instance. */
export class PgLeaderLock extends LeaderLock {
  /** The session that holds the leader lock; the lock goes with it when this instance dies. */
  private leader?: PoolClient;
  private acquiring?: Promise<boolean>;

  constructor(private readonly engine: PgEngine) {
    super();
    engine.onClose(() => this.close());
  }

  /**
   * Holds the leader lock on a session of its own. When the server ends that session (restart, terminated
   * backend) the lock is gone with it: the session is dropped at once and the next call tries to take the
   * lock again on a fresh one (this instance or another gets it, whichever asks first).
   */
  acquireLeadership(): Promise<boolean> {
    // one attempt at a time: a check that waits on a stalled session must not put a second query on it
    this.acquiring ??= this.tryLeadership().finally(() => (this.acquiring = undefined));
    return this.acquiring;
  }

  private async tryLeadership(): Promise<boolean> {
    await this.engine.ready;
    if (this.leader) {
      try {
        await this.leader.query('SELECT 1');
        return true;
      } catch {
        this.dropLeaderSession();
      }
    }
    const client = await this.engine.pool.connect();
    let held = false;
    try {
      held = (await client.query('SELECT pg_try_advisory_lock($1) AS held', [LEADER_LOCK])).rows[0].held;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!held) {
      client.release();
      return false;
    }
    this.leader = client;
    client.once('error', () => this.leader === client && this.dropLeaderSession());
    return true;
  }

  private dropLeaderSession(): void {
    this.leader?.release(true);
    this.leader = undefined;
  }

  private async close(): Promise<void> {
    if (!this.leader) return;
    // unlock explicitly: the server drops a closed session's locks only once its backend has exited
    await this.leader.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => undefined);
    this.leader.release(true);
    this.leader = undefined;
  }
}
