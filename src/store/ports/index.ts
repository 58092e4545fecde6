import { DeliveryQueue } from './delivery-queue';
import { EventInbox } from './event-inbox';
import { Housekeeping } from './housekeeping';
import { KeyringStore } from './keyring-store';
import { LeaderLock } from './leader-lock';

export { DeliveryQueue, EventInbox, Housekeeping, KeyringStore, LeaderLock };

/** One engine's adapters, one per port, sharing its connection (or writer thread); `close` ends them all. */
export interface StorePorts {
  readonly inbox: EventInbox;
  readonly queue: DeliveryQueue;
  readonly keyring: KeyringStore;
  readonly leader: LeaderLock;
  readonly housekeeping: Housekeeping;
  close(): Promise<void>;
}
