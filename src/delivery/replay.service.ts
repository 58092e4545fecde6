import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { ReplayFilter } from '../store/store.types';

declare module '../common/domain-events' {
  interface DomainEventMap {
    /** Deliveries were made due again (a replay): worth a look for due work now rather than at the next poll. */
    'deliveries.requeued': { count: number };
  }
}

/** Re-queues deliveries: dead letters by id, by sink or by time, or a delivered one by id to send it again. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly store: DeliveryQueue,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  async replay(filter: ReplayFilter): Promise<number> {
    const count = await this.store.replay(filter, this.clock.now());
    if (count) this.events.emit('deliveries.requeued', { count });
    return count;
  }
}

/** Of the ids asked for, those that cannot be replayed and why: only dead, delivered and silenced deliveries are. */
export async function unreplayable(store: DeliveryQueue, ids: readonly number[]): Promise<{ id: number; reason: string }[]> {
  const refused: { id: number; reason: string }[] = [];
  for (const id of ids) {
    const delivery = await store.getDelivery(id);
    if (!delivery) refused.push({ id, reason: 'no such delivery' });
    else if (!['dead', 'delivered', 'silenced'].includes(delivery.status)) refused.push({ id, reason: `it is ${delivery.status}; only dead, delivered or silenced deliveries are replayed` });
  }
  return refused;
}
