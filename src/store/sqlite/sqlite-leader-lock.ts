import { LeaderLock } from '../ports/leader-lock';

/** SQLite serves one instance, which always leads. */
export class SqliteLeaderLock extends LeaderLock {
  async acquireLeadership(): Promise<boolean> {
    return true;
  }
}
