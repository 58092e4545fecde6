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

/** What routing reads of the config: the routes, and each sink's type (the loaded config is one). */
export interface RoutingTable {
  readonly routes: readonly CompiledRoute[];
  readonly sinks: ReadonlyMap<string, { readonly config: { readonly type: string } }>;
}

/**
 * Applies the configured routes: which deliveries an event gets, and how each message renders. Plain code: it
 * reads the table it is given at every call (`table` returns the current config), so a reload needs no hook.
 */
export class RoutingService {
  private byName: ReadonlyMap<string, CompiledRoute> = new Map();
  private indexed?: readonly CompiledRoute[];

  constructor(private readonly table: () => RoutingTable) {}

  /** The routes that match, in order. */
  match(envelope: JoggEnvelope): CompiledRoute[] {
    return matchRoutes(this.table().routes, envelope);
  }

  /** One delivery per (matching route, sink it names). */
  plan(envelope: JoggEnvelope): PlannedDelivery[] {
    const sinks = this.table().sinks;
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
    return sink.render(event, this.route(routeName)?.templates[sink.type]);
  }

  /** By name, indexed again when the routes are another list (after a reload). */
  private route(name: string): CompiledRoute | undefined {
    const routes = this.table().routes;
    if (routes !== this.indexed) {
      this.byName = new Map(routes.map((route) => [route.name, route]));
      this.indexed = routes;
    }
    return this.byName.get(name);
  }
}
