import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { HandOff } from '../common/hand-off';
import { baseName } from '../common/endpoint-name';
import { formatDuration } from '../common/units';
import { BridgeConfigService } from '../config/bridge-config.service';
import { orderKeyOf } from '../sink-registry/order-key';
import { planAlerting } from '../alerting/membership';
import { SilenceService } from '../alerting/silence.service';
import { RoutingService } from '../rules/routing.service';
import { EventInbox } from '../store/ports/event-inbox';
import { ClaimedDelivery, StoreUnavailableError } from '../store/store.types';
import { dedupeKey, ReceivedWebhook } from './envelope';

declare module '../common/domain-events' {
  interface DomainEventMap {
    /**
     * A new event and its deliveries are committed (not sent for a duplicate, nor for an event no route takes).
     * `claimed`: those of them handed off (see HandOff), leased to this process and for the dispatcher to send;
     * `waiting`: the sinks of those that wait in the store to be claimed now (not silenced, not joining a group).
     */
    'event.accepted': { id: number; deliveries: number; claimed: ClaimedDelivery[]; waiting: string[] };
  }
}

/** What became of a verified, well-formed webhook; the HTTP answer (webhook-receiver.ts) is chosen from it. */
export type IngressResult =
  | { status: 'accepted'; id: number; deliveries: number }
  | { status: 'duplicate'; id: number; deliveries: 0 }
  /** Older than server.maxEventAge or further in the future than server.maxFutureSkew: refused, nothing stored. */
  | { status: 'stale'; reason: string }
  /** The store cannot write now (full disk, database down): nothing stored, worth retrying. */
  | { status: 'unavailable'; reason: string };

/** Checks the event's age, routes it and commits it with its deliveries; resolves once durable. */
@Injectable()
export class IngressService {
  constructor(
    private readonly config: BridgeConfigService,
    private readonly routing: RoutingService,
    private readonly store: EventInbox,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly silences: SilenceService,
    private readonly handOff: HandOff,
  ) {}

  /** The result of the webhook; throws only for a fault nobody foresaw (a bug). */
  async accept({ envelope, raw, text }: ReceivedWebhook, endpoint: string | null): Promise<IngressResult> {
    const now = this.clock.now();
    const stale = this.staleness(envelope.timestamp, now);
    if (stale) return { status: 'stale', reason: stale };
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
      const orderKey = orderKeyOf(loaded, envelope, templates, endpointName);
      if (notBefore !== undefined) return { route, sink, orderKey, notBefore };
      // an open hand-off: inserted leased to this process, sent at once without a claim (never a keyed one: its order is the store's)
      const leaseMs = orderKey === null ? this.handOff.leaseMs(sink) : undefined;
      return leaseMs === undefined ? { route, sink, orderKey } : { route, sink, orderKey, leaseUntil: now + leaseMs };
    });
    let result;
    try {
      result = await this.store.ingest({
        dedupeKey: dedupeKey(envelope, raw),
        eventId: envelope.event_id,
        event: envelope.event,
        timestamp: envelope.timestamp,
        endpoint: endpointName,
        receivedAt: now,
        body: text,
        deliveries,
      });
    } catch (error) {
      if (error instanceof StoreUnavailableError) return { status: 'unavailable', reason: error.message };
      throw error;
    }
    if (result.duplicate) return { status: 'duplicate', id: result.id, deliveries: 0 };
    if (deliveries.length) {
      const claimed = result.claimed ?? [];
      // a delivery given a lease was handed off (the store leases every one it is given): the others wait in the store
      const waiting = deliveries.filter((d) => !('leaseUntil' in d) && !('group' in d) && !('silenceId' in d)).map((d) => d.sink);
      this.events.emit('event.accepted', { id: result.id, deliveries: deliveries.length, claimed, waiting: [...new Set(waiting)] });
    }
    return { status: 'accepted', id: result.id, deliveries: deliveries.length };
  }

  /** Why the event is too old or too far ahead, or undefined when its age is fine. */
  private staleness(timestamp: number, now: number): string | undefined {
    const { maxEventAgeMs, maxFutureSkewMs } = this.config.current.server;
    const at = timestamp * 1000;
    if (now - at > maxEventAgeMs) return `event is older than ${formatDuration(maxEventAgeMs)}`;
    if (at - now > maxFutureSkewMs) return `event timestamp is more than ${formatDuration(maxFutureSkewMs)} in the future`;
    return undefined;
  }
}
