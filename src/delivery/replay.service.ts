import { Injectable, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EventStore, ReplayFilter } from '../store/event-store';
import { DispatcherService } from './dispatcher.service';

/** Re-queues deliveries: dead letters by id, by sink or by time, or a delivered one by id to send it again. */
@Injectable()
export class ReplayService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() private readonly dispatcher?: DispatcherService,
  ) {}

  async replay(filter: ReplayFilter): Promise<number> {
    const count = await this.store.replay(filter, this.clock.now());
    if (count) this.dispatcher?.notify();
    return count;
  }
}
