import { Injectable } from '@nestjs/common';
import { JoggEnvelope } from '../common/jogg-event';
import { BridgeConfigService } from '../config/bridge-config.service';
import { redactionFor } from '../config/secrets';
import { RoutingService } from '../rules/routing.service';
import { SinkEvent } from '../sinks/core/sink';
import { SinkRegistry } from '../sink-registry/sink.registry';

export interface DryRunDelivery {
  sink: string;
  type: string;
  /** What the sink would send, with credentials (e.g. an Authorization header) shown as "[redacted]". */
  message: unknown;
}

export interface DryRunResult {
  event: string;
  eventId: string | null;
  routes: { route: string; deliveries: DryRunDelivery[] }[];
}

/** Which routes an event matches and what each sink would send, without sending anything. */
@Injectable()
export class DryRunService {
  constructor(private readonly routing: RoutingService, private readonly sinks: SinkRegistry, private readonly config: BridgeConfigService) {}

  run(envelope: JoggEnvelope, body = JSON.stringify(envelope)): DryRunResult {
    const event: SinkEvent = { id: 0, deliveryId: 0, envelope, body, endpoint: null, receivedAt: Date.now() };
    const routes = this.routing.match(envelope).map((route) => ({
      route: route.name,
      deliveries: route.to.map((name) => {
        const sink = this.sinks.get(name)!;
        // shown to people (admin API, CLI): no credential the config holds
        const message = redactionFor(this.config.current).value(this.routing.render(route.name, sink, event));
        return { sink: name, type: sink.type, message };
      }),
    }));
    return { event: envelope.event, eventId: envelope.event_id ?? null, routes };
  }
}
