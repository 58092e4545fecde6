import { TemplateSet } from '../../templating';
import { Sink } from './sink';
import { BaseSinkConfig } from './sink-config';

/** A place in the sink's own settings (relative to `sinks.<name>`), for a problem found by `check`. */
export type SinkConfigPath = readonly (string | number)[];

/**
 * Everything the bridge knows about one sink type, in one object: the config loader, the JSON Schema, the
 * redaction and the sink registry read it from the table in src/sinks/definitions.ts and know no sink type
 * themselves. See docs/ARCHITECTURE.md, "How to add a sink".
 */
export interface SinkDefinition<C extends BaseSinkConfig = BaseSinkConfig> {
  /** The `type:` of the sink in bridge.yaml, and the key of a route's template overrides for it. */
  readonly type: C['type'];
  /** Validates the sink's settings (class-validator); the JSON Schema is generated from it. */
  readonly configClass: new () => C;
  /** What a route may override for this sink type (`routes[].<type>:`): its template fields, all optional. */
  readonly templatesClass: new () => object;
  /** The settings that are templates: compiled at load, each replaceable by a route's override. */
  readonly templateFields: readonly string[];
  /** Structured template fields whose leaves keep the value's JSON type when they are exactly one tag. */
  readonly typedLeafFields?: readonly string[];
  /** With `ordering: key`, the template field that gives the order key; without one, the resource id. */
  readonly orderKeyField?: string;
  /** Alerting: the sender renders group messages (Sink.renderGroup), so routes to it may set `group`. */
  readonly groups?: true;
  /** Template fields whose output this sink sends as JSON: string templates in them are checked for injection. */
  jsonFields?(config: C): readonly string[];
  /** Every secret value the settings hold (credentials in URLs, tokens, passwords): never logged or shown. */
  secrets(config: C): string[];
  /** Rules across fields that the config class cannot express; each problem goes to `report`. */
  check?(config: C, report: (path: SinkConfigPath, message: string) => void): void;
  /** The sender, from validated settings and the compiled templates of `templateFields`. */
  create(name: string, templates: TemplateSet, config: C): Sink;
}
