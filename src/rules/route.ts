import { suggest } from '../common/did-you-mean';
import { JoggEnvelope } from '../common/jogg-event';
import { compileWhere, Predicate } from './condition';
import { compileGlob, Glob, RuleError } from './glob';
import { compileTemplateSet, TemplateSet } from '../templating';

export type Path = readonly (string | number)[];
export interface RuleProblem { path: Path; message: string }

export type { TemplateSet };

export interface RouteDefinition {
  name: string;
  match: { events: string[]; where?: Record<string, unknown> };
  to: string[];
  continue: boolean;
  /** Per sink type, the template fields this route overrides. */
  overrides: Readonly<Record<string, Record<string, unknown> | undefined>>;
}

export interface CompiledRoute {
  readonly name: string;
  readonly events: readonly Glob[];
  readonly where: Predicate;
  readonly to: readonly string[];
  readonly continue: boolean;
  readonly templates: Readonly<Record<string, TemplateSet>>;
}

/**
 * Compiles every route, collecting all problems (paths relative to `routes`). `typedLeaves`: per sink type,
 * the structured template fields whose lone tags keep their JSON type (the config's TYPED_LEAF_FIELDS).
 */
export function compileRoutes(
  routes: readonly RouteDefinition[],
  sinkNames: ReadonlySet<string>,
  typedLeaves: Readonly<Record<string, readonly string[] | undefined>> = {},
) {
  const problems: RuleProblem[] = [];
  const compiled: CompiledRoute[] = [];
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    const at = (path: Path, message: string) => problems.push({ path: [index, ...path], message });
    if (seen.has(route.name)) at(['name'], `duplicate route name "${route.name}"`);
    seen.add(route.name);
    route.to.forEach((sink, i) => {
      if (!sinkNames.has(sink)) at(['to', i], `unknown sink "${sink}"${suggest(sink, sinkNames, 'known', ' (no sinks are defined)')}`);
    });
    const events = route.match.events.flatMap((pattern, i) => attempt(() => compileGlob(pattern), ['match', 'events', i], at));
    const where = attempt(() => compileWhere(route.match.where, (e) => at(['match', 'where', ...e.path], e.message)), ['match', 'where'], at);
    const templates: Record<string, TemplateSet> = {};
    for (const [type, fields] of Object.entries(route.overrides)) {
      if (fields) templates[type] = compileTemplateSet(fields, [type], at, typedLeaves[type]);
    }
    if (where.length) compiled.push({ name: route.name, events, where: where[0], to: route.to, continue: route.continue, templates });
  });
  return { routes: compiled, problems };
}

function attempt<T>(fn: () => T, path: Path, at: (path: Path, message: string) => void): T[] {
  try {
    return [fn()];
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    at([...path, ...error.path], error.message);
    return [];
  }
}

/** Every matching route fires, in order, until a matching route says `continue: false`. */
export function matchRoutes(routes: readonly CompiledRoute[], event: JoggEnvelope): CompiledRoute[] {
  const matched: CompiledRoute[] = [];
  for (const route of routes) {
    if (!route.events.some((glob) => glob.test(event.event)) || !route.where(event)) continue;
    matched.push(route);
    if (!route.continue) break;
  }
  return matched;
}
