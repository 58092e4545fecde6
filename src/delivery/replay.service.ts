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
