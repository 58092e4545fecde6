import { AlertGroups } from './alert-groups';
import { AnswerStats } from './answer-stats';
import { DeliveryQueue } from './delivery-queue';
import { EndpointSyncLog } from './endpoint-sync-log';
import { EventInbox } from './event-inbox';
import { Housekeeping } from './housekeeping';
import { KeyringStore } from './keyring-store';
import { LeaderLock } from './leader-lock';
import { Silences } from './silences';

export { AlertGroups, AnswerStats, DeliveryQueue, EndpointSyncLog, EventInbox, Housekeeping, KeyringStore, LeaderLock, Silences };

/** One engine's adapters, one per port, sharing its connection (or writer thread); `close` ends them all. */
export interface StorePorts {
  readonly inbox: EventInbox;
  readonly queue: DeliveryQueue;
  readonly keyring: KeyringStore;
  readonly leader: LeaderLock;
  readonly housekeeping: Housekeeping;
  readonly groups: AlertGroups;
  readonly silences: Silences;
  readonly answers: AnswerStats;
  readonly syncLog: EndpointSyncLog;
  close(): Promise<void>;
}
