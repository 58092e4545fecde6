import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOGG_EVENTS } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { DeliveryQueue } from '../store/ports/delivery-queue';
import { DeliveryStatus } from '../store/store.types';

export type WebhookOutcome =
  | 'accepted' | 'duplicate' | 'bad_signature' | 'malformed' | 'stale' | 'too_large' | 'unsupported_media_type'
  | 'unknown_endpoint' | 'unavailable';

const KNOWN_EVENTS = new Set<string>(JOGG_EVENTS);
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Prometheus metrics of one bridge (its own registry, so several apps in one process stay apart). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly webhooks: Counter<'event' | 'outcome'>;
  private readonly deliveries: Counter<'sink' | 'route' | 'outcome'>;
  private readonly deliveryDuration: Histogram<'sink'>;
  private readonly eventToDelivery: Histogram<'sink'>;
  private readonly reload: Gauge;
  private readonly syncSuccess: Gauge;
  private readonly leading: Gauge;
  private readonly circuits: Gauge<'sink'>;
  private readonly handedOff: Counter<'sink'>;

  constructor(store: DeliveryQueue, config: BridgeConfigService) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.webhooks = new Counter({ name: 'bridge_webhooks_total', help: 'Webhooks received, by event and outcome', labelNames: ['event', 'outcome'], registers });
    this.deliveries = new Counter({ name: 'bridge_deliveries_total', help: 'Delivery attempts, by sink, route and outcome', labelNames: ['sink', 'route', 'outcome'], registers });
    this.deliveryDuration = new Histogram({ name: 'bridge_delivery_duration_seconds', help: 'Time one delivery attempt took', labelNames: ['sink'], buckets: LATENCY_BUCKETS, registers });
    this.handedOff = new Counter({ name: 'bridge_deliveries_handed_off_total', help: 'New deliveries the dispatcher took straight from the ingress (leased at insert, no claim), by sink', labelNames: ['sink'], registers });
    this.eventToDelivery = new Histogram({ name: 'bridge_event_to_delivery_seconds', help: 'From receiving the event to its delivery', labelNames: ['sink'], buckets: LATENCY_BUCKETS, registers });
    // Scrapes matter most while the store is down: the queue gauges are then left out, not the whole answer.
    const counts = () => store.deliveryCounts().catch(() => []);
    new Gauge({
      name: 'bridge_queue_depth',
      help: 'Deliveries waiting, by sink and state (pending, retrying)',
      labelNames: ['sink', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { sink, status, count } of await counts()) if (status === 'pending' || status === 'retrying') this.set({ sink, state: status }, count);
      },
    });
    new Gauge({
      name: 'bridge_dead_letters',
      help: 'Dead-lettered deliveries, by sink',
      labelNames: ['sink'],
      registers,
      async collect() {
        this.reset();
        for (const { sink, status, count } of await counts()) if (status === 'dead') this.set({ sink }, count);
      },
    });
    this.reload = new Gauge({ name: 'bridge_config_reload_success', help: '1 when the last config (re)load succeeded, 0 when it was refused', registers });
    this.reload.set(config.current ? 1 : 0);
    this.syncSuccess = new Gauge({ name: 'bridge_sync_last_success_timestamp_seconds', help: 'When the last sync with JoggAI succeeded (0: never)', registers });
    this.syncSuccess.set(0);
    this.leading = new Gauge({ name: 'bridge_leader', help: '1 while this instance leads (sync loop, housekeeping), 0 on standby', registers });
    this.leading.set(0);
    this.circuits = new Gauge({ name: 'bridge_sink_circuit', help: "Each sink's circuit: 0 closed (delivering), 1 open (down, deliveries wait), 0.5 half-open (a probe runs)", labelNames: ['sink'], registers });
  }

  circuit(sink: string, value: number): void {
    this.circuits.set({ sink }, value);
  }

  leader(isLeader: boolean): void {
    this.leading.set(isLeader ? 1 : 0);
  }

  syncSucceeded(at: number): void {
    this.syncSuccess.set(Math.floor(at / 1000));
  }

  configReloaded(ok: boolean): void {
    this.reload.set(ok ? 1 : 0);
  }

  handOff(sink: string, count: number): void {
    this.handedOff.inc({ sink }, count);
  }

  webhook(event: string | undefined, outcome: WebhookOutcome): void {
    this.webhooks.inc({ event: eventLabel(event), outcome });
  }

  delivery(sink: string, route: string, outcome: DeliveryStatus | 'retry', durationMs: number, sinceReceiptMs?: number): void {
    this.deliveries.inc({ sink, route, outcome: outcome === 'retrying' ? 'retry' : outcome });
    this.deliveryDuration.observe({ sink }, durationMs / 1000);
    if (sinceReceiptMs !== undefined) this.eventToDelivery.observe({ sink }, sinceReceiptMs / 1000);
  }
}

/** Label values stay bounded: the catalogue's names, "other" for names JoggAI adds, "none" when unparsed. */
function eventLabel(event: string | undefined): string {
  if (event === undefined) return 'none';
  return KNOWN_EVENTS.has(event) ? event : 'other';
}
