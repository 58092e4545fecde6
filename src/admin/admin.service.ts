import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { parseSince, SinceError } from '../config/since';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { redactionFor } from '../config/secrets';
import { DryRunResult, DryRunService } from '../delivery/dry-run.service';
import { ReplayService } from '../delivery/replay.service';
import { EnvelopeError, parseEnvelope } from '../ingress/envelope';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { EventInbox } from '../store/ports/event-inbox';
import { Attempt, Delivery, StoredEvent } from '../store/store.types';
import { DeliveriesQuery, EventsQuery, ReplayRequest } from './admin.dto';

export type EventView = Omit<StoredEvent, 'body'> & { body: unknown };

/** What the admin API offers, over the same services as the CLI. */
@Injectable()
export class AdminService {
  constructor(
    private readonly inbox: EventInbox,
    private readonly queue: DeliveryQueue,
    private readonly replayer: ReplayService,
    private readonly dryRun: DryRunService,
    private readonly config: BridgeConfigService,
  ) {}

  async events(query: EventsQuery): Promise<EventView[]> {
    const events = await this.inbox.listEvents({ event: query.event, since: since(query.since), before: query.before, limit: query.limit });
    return events.map(view);
  }

  async event(id: number): Promise<EventView & { deliveries: Delivery[] }> {
    const event = await this.inbox.getEvent(id);
    if (!event) throw new NotFoundException(`no event ${id}`);
    return { ...view(event), deliveries: await this.queue.listDeliveries({ eventPk: id, limit: 1000 }) };
  }

  deliveries(query: DeliveriesQuery): Promise<Delivery[]> {
    return this.queue.listDeliveries({ status: query.status, sink: query.sink, since: since(query.since), before: query.before, limit: query.limit });
  }

  async delivery(id: number): Promise<Delivery & { history: Attempt[] }> {
    const delivery = await this.queue.getDelivery(id);
    if (!delivery) throw new NotFoundException(`no delivery ${id}`);
    return { ...delivery, history: await this.queue.listAttempts(id) };
  }

  async replay(request: ReplayRequest): Promise<{ replayed: number }> {
    if (!!request.ids === !!request.dead) throw new BadRequestException('give either "ids" or "dead": true');
    const filter = request.ids ? { ids: request.ids } : { sink: request.sink, since: since(request.since) };
    return { replayed: await this.replayer.replay(filter) };
  }

  /** The dry run of a webhook body, given as the text that was sent: checked as the ingress checks it. */
  routesTest(body: string): DryRunResult {
    let envelope: JoggEnvelope;
    try {
      envelope = parseEnvelope(body);
    } catch (error) {
      if (error instanceof EnvelopeError) throw new BadRequestException(error.message);
      throw error;
    }
    return this.dryRun.run(envelope);
  }

  /** The config in use, with every secret it holds replaced by "[redacted]" (value by value, not by text search). */
  currentConfig(): { file: string; config: unknown } {
    const current = this.config.current;
    return { file: current.file, config: redactionFor(current).value(current.source) };
  }
}

function view({ body, ...event }: StoredEvent): EventView {
  return { ...event, body: JSON.parse(body) };
}

function since(value: string | undefined): number | undefined {
  try {
    return parseSince(value);
  } catch (error) {
    if (error instanceof SinceError) throw new BadRequestException(error.message);
    throw error;
  }
}
