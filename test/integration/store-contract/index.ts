import { alertGroupsContract } from './alert-groups.contract';
import { answerStatsContract } from './answer-stats.contract';
import { deliveryQueueContract } from './delivery-queue.contract';
import { eventInboxContract } from './event-inbox.contract';
import { OpenStore } from './harness';
import { housekeepingContract } from './housekeeping.contract';
import { keyringStoreContract } from './keyring-store.contract';
import { leaderLockContract } from './leader-lock.contract';
import { silencesContract } from './silences.contract';

export { OpenStore };

/** Every port's contract, on one engine: each engine's spec calls this with a factory for fresh, empty stores. */
export function storeContract(engine: string, open: OpenStore): void {
  eventInboxContract(engine, open);
  deliveryQueueContract(engine, open);
  keyringStoreContract(engine, open);
  leaderLockContract(engine, open);
  housekeepingContract(engine, open);
  alertGroupsContract(engine, open);
  silencesContract(engine, open);
  answerStatsContract(engine, open);
}
