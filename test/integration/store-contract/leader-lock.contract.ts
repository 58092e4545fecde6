import { OpenStore, useStore } from './harness';

/** What every LeaderLock adapter must do; each engine's spec runs it. */
export function leaderLockContract(engine: string, open: OpenStore): void {
  describe(`LeaderLock contract: ${engine}`, () => {
    const s = useStore(open);

    it('grants leadership to the instance that asks first, and keeps it', async () => {
      expect(await s.leader.acquireLeadership()).toBe(true);
      expect(await s.leader.acquireLeadership()).toBe(true);
    });
  });
}
