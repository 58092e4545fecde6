import { consoleSink } from './console/definition';
import { SinkDefinition } from './core/definition';
import { emailSink } from './email/definition';
import { fileSink } from './file/definition';
import { httpSink } from './http/definition';
import { kafkaSink } from './kafka/definition';
import { slackSink } from './slack/definition';

/**
 * Every sink type, one line each: the config loader, the JSON Schema, the redaction and the sink registry
 * iterate this table. Adding a sink is a folder beside these and one line here (docs/ARCHITECTURE.md).
 */
export const SINK_DEFINITIONS = [
  httpSink,
  fileSink,
  consoleSink,
  kafkaSink,
  slackSink,
  emailSink,
] as const;

type Definition = (typeof SINK_DEFINITIONS)[number];
type ConfigOf<D> = D extends SinkDefinition<infer C> ? C : never;

/** The validated settings of any sink (discriminated by `type`). */
export type SinkConfig = ConfigOf<Definition>;
export type SinkType = SinkConfig['type'];

export const SINK_TYPES: readonly SinkType[] = SINK_DEFINITIONS.map((definition) => definition.type);

const BY_TYPE = new Map<string, SinkDefinition<SinkConfig>>(SINK_DEFINITIONS.map((definition) => [definition.type, definition as SinkDefinition<SinkConfig>]));

/** The definition of a sink type, or undefined for a type no sink has. */
export function sinkDefinition(type: string): SinkDefinition<SinkConfig> | undefined {
  return BY_TYPE.get(type);
}

/** The definition of a validated sink's type (which always has one). */
export function definitionOf(config: SinkConfig): SinkDefinition<SinkConfig> {
  return BY_TYPE.get(config.type)!;
}
