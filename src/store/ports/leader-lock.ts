/** Leadership for work that one instance must do (the sync loop, housekeeping). */
export abstract class LeaderLock {
  /**
   * True while this instance holds it; another instance takes over when this one dies. A single-instance
   * store always leads.
   */
  abstract acquireLeadership(): Promise<boolean>;
}
