import { Injectable, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { ReplayFilter } from '../store/store.types';
import { DispatcherService } from './dispatcher.service';

/** Re-queues deliveries: dead letters by id, by sink or by time, or a delivered one by id to send it again. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly store: DeliveryQueue,
    private readonly clock: Clock,
    @Optional() private readonly dispatcher?: DispatcherService,
  ) {}

  async replay(filter: ReplayFilter): Promise<number> {
    const count = await this.store.replay(filter, this.clock.now());
    if (count) this.dispatcher?.notify();
    return count;
  }
}
