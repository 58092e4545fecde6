import { Injectable } from '@nestjs/common';
import { JoggEnvelope } from '../common/jogg-event';
import { RoutingService } from '../rules/routing.service';
import { SinkEvent } from '../sinks/sink';
import { SinkRegistry } from '../sinks/sink.registry';

export interface DryRunDelivery {
  sink: string;
  type: string;
  /** Exactly what the sink would send. */
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
  constructor(private readonly routing: RoutingService, private readonly sinks: SinkRegistry) {}

  run(envelope: JoggEnvelope, body = JSON.stringify(envelope)): DryRunResult {
    const event: SinkEvent = { id: 0, deliveryId: 0, envelope, body, endpoint: null, receivedAt: Date.now() };
    const routes = this.routing.match(envelope).map((route) => ({
      route: route.name,
      deliveries: route.to.map((name) => {
        const sink = this.sinks.get(name)!;
        return { sink: name, type: sink.type, message: this.routing.render(route.name, sink, event) };
      }),
    }));
    return { event: envelope.event, eventId: envelope.event_id ?? null, routes };
  }
}
