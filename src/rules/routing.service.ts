import { Injectable } from '@nestjs/common';
import { BridgeConfigService } from '../config/bridge-config.service';
import { JoggEnvelope } from '../common/jogg-event';
import { CompiledRoute, matchRoutes, TemplateSet } from './route';

/** What rendering needs of a sink (rules know no sink classes). */
export interface RenderingSink<E, M> {
  readonly type: string;
  render(event: E, overrides?: TemplateSet): M;
}

export interface PlannedDelivery {
  route: string;
  sink: string;
  /** The route's own templates for this sink's type (they override the sink's). */
  templates?: TemplateSet;
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
      const type = sinks.get(sink)?.config.type;
      return { route: route.name, sink, templates: type ? route.templates[type] : undefined };
    }));
  }

  /** The route's own templates for a sink type (undefined: the route is gone or overrides nothing). */
  templates(routeName: string, type: string): TemplateSet | undefined {
    return this.byName.get(routeName)?.templates[type];
  }

  /** The message `sink` would send for `event` on `routeName` (the route's templates override the sink's). */
  render<E, M>(routeName: string, sink: RenderingSink<E, M>, event: E): M {
    return sink.render(event, this.byName.get(routeName)?.templates[sink.type]);
  }
}
