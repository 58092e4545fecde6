import { Injectable } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { JoggEnvelope } from '../common/jogg-event';
import { orderKeyOf } from '../sinks/order-key';
import { Sink, SinkEvent } from '../sinks/sink';
import { CompiledRoute, matchRoutes } from './route';

export interface PlannedDelivery {
  route: string;
  sink: string;
  /** Orders the sink's deliveries (see orderKeyOf); null when the sink keeps no order. */
  orderKey: string | null;
}

/** Applies the configured routes: which deliveries an event gets, and how each message renders. */
@Injectable()
export class RoutingService {
  private byName: ReadonlyMap<string, CompiledRoute>;

  constructor(private readonly config: BridgeConfigService) {
    this.byName = new Map(config.current.routes.map((route) => [route.name, route]));
    config.onChange((next) => (this.byName = new Map(next.routes.map((route) => [route.name, route]))));
  }

  /** The routes that match, in order. */
  match(envelope: JoggEnvelope): CompiledRoute[] {
    return matchRoutes(this.config.current.routes, envelope);
  }

  /** One delivery per (matching route, sink it names). */
  plan(envelope: JoggEnvelope): PlannedDelivery[] {
    const sinks = this.config.current.sinks;
    return this.match(envelope).flatMap((route) => route.to.map((sink) => {
      const loaded = sinks.get(sink);
      return { route: route.name, sink, orderKey: loaded ? orderKeyOf(loaded, envelope, route.templates[loaded.config.type]) : null };
    }));
  }

  /** The message `sink` would send for `event` on `routeName` (the route's templates override the sink's). */
  render(routeName: string, sink: Sink, event: SinkEvent): unknown {
    return sink.render(event, this.byName.get(routeName)?.templates[sink.type]);
  }
}
