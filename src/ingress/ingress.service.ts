import { BadRequestException, Injectable, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { BridgeConfigService } from '../config/bridge-config.service';
import { formatDuration } from '../common/units';
import { DispatcherService } from '../delivery/dispatcher.service';
import { orderKeyOf } from '../sink-registry/order-key';
import { planAlerting } from '../alerting/membership';
import { SilenceService } from '../alerting/silence.service';
import { RoutingService } from '../rules/routing.service';
import { baseName } from '../sync/plan';
import { EventStore } from '../store/event-store';
import { dedupeKey, ReceivedWebhook } from './envelope';

export interface AcceptResult {
  status: 'accepted' | 'duplicate';
  id: number;
  deliveries: number;
}

/** Checks the event's age, routes it and commits it with its deliveries; resolves once durable. */
@Injectable()
export class IngressService {
  constructor(
    private readonly config: BridgeConfigService,
    private readonly routing: RoutingService,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly silences: SilenceService,
    @Optional() private readonly dispatcher?: DispatcherService,
  ) {}

  async accept({ envelope, raw, text }: ReceivedWebhook, endpoint: string | null): Promise<AcceptResult> {
    const now = this.clock.now();
    this.checkAge(envelope.timestamp, now);
    const { sinks, groups } = this.config.current;
    const endpointName = endpoint === null ? null : baseName(endpoint);
    const deliveries = this.routing.plan(envelope).map(({ route, sink, templates }) => {
      const loaded = sinks.get(sink);
      if (!loaded) return { route, sink, orderKey: null };
      // alerting: a silenced delivery is recorded 'silenced'; a grouped one joins its group (the group's one message has no order key)
      const silenceId = this.silences.match({ envelope, route, sink }, now);
      if (silenceId !== undefined) return { route, sink, silenceId };
      const { group, notBefore } = planAlerting(groups, route, loaded, envelope, now);
      if (group) return { route, sink, group };
      return { route, sink, orderKey: orderKeyOf(loaded, envelope, templates, endpointName), ...(notBefore !== undefined ? { notBefore } : {}) };
    });
    const result = await this.store.ingest({
      dedupeKey: dedupeKey(envelope, raw),
      eventId: envelope.event_id,
      event: envelope.event,
      timestamp: envelope.timestamp,
      endpoint: endpointName,
      receivedAt: now,
      body: text,
      deliveries,
    });
    if (!result.duplicate && deliveries.length) this.dispatcher?.notify();
    return { status: result.duplicate ? 'duplicate' : 'accepted', id: result.id, deliveries: result.duplicate ? 0 : deliveries.length };
  }

  private checkAge(timestamp: number, now: number): void {
    const { maxEventAgeMs, maxFutureSkewMs } = this.config.current.server;
    const at = timestamp * 1000;
    if (now - at > maxEventAgeMs) throw new BadRequestException(`event is older than ${formatDuration(maxEventAgeMs)}`);
    if (at - now > maxFutureSkewMs) throw new BadRequestException(`event timestamp is more than ${formatDuration(maxFutureSkewMs)} in the future`);
  }
}
