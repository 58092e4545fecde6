import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { JoggEnvelope } from '../common/jogg-event';
import { buildConfigSchema } from '../config/config-schema';
import { loadConfig } from '../config/config.loader';
import { LoadedSink } from '../config/loaded-config';
import { Sink, SinkEvent } from './core/sink';
import { SINK_DEFINITIONS, sinkDefinition, SINK_TYPES } from './definitions';

/**
 * The contract every sink in the table keeps (docs/ARCHITECTURE.md, "How to add a sink"). A new sink that
 * forgets a piece (its folder, a shipped example, a template field its config does not have, a sender whose
 * `type` differs) fails here rather than at a user's first load.
 */
const SHIPPED = ['config/bridge.yaml', 'config/compose.yaml', ...readdirSync('config/examples').filter((f) => f.endsWith('.yaml')).map((f) => `config/examples/${f}`)];
const loaded: LoadedSink[] = SHIPPED.flatMap((file) => [...loadConfig({ path: file, env: {} }).sinks.values()]);
const envelope = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'jogg', 'generated_video_failed.json'), 'utf8')) as JoggEnvelope;
const event: SinkEvent = { id: 7, deliveryId: 9, attempt: 1, envelope, body: JSON.stringify(envelope), endpoint: 'videos', receivedAt: Date.UTC(2025, 10, 26) };

/** The settings a config class accepts: those with a validation rule (the others are refused as unknown). */
function settings(configClass: new () => object): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false).map((rule) => rule.propertyName))];
}

describe('the table of sink definitions', () => {
  it('names each type, config class and templates class once (the schema keys definitions by class name)', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(SINK_DEFINITIONS.map((d) => d.type))).toBe(true);
    expect(unique([...SINK_DEFINITIONS.map((d) => d.configClass.name), ...SINK_DEFINITIONS.map((d) => d.templatesClass.name)])).toBe(true);
  });

  it('finds no definition for a type no sink has', () => {
    expect(sinkDefinition('carrier-pigeon')).toBeUndefined();
  });
});

describe.each(SINK_TYPES.map((type) => [type, sinkDefinition(type)!] as const))('sink %s', (type, definition) => {
  const folder = join(__dirname, type);

  it('is one folder, src/sinks/<type>/, whose definition.ts exports the definition in the table, with its specs beside it', () => {
    expect(existsSync(join(folder, 'definition.ts'))).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(Object.values(require(join(folder, 'definition')) as object)).toContain(definition);
    expect(readdirSync(folder).some((file) => file.endsWith('.spec.ts'))).toBe(true);
  });

  it('has templates that are settings of its config, and route overrides that are among them', () => {
    const own = settings(definition.configClass);
    expect(own).toEqual(expect.arrayContaining(['type', ...definition.templateFields]));
    expect(definition.templateFields).toEqual(expect.arrayContaining(settings(definition.templatesClass)));
    expect(definition.templateFields).toEqual(expect.arrayContaining([...(definition.typedLeafFields ?? []), ...(definition.orderKeyField ? [definition.orderKeyField] : [])]));
  });

  it('is in the JSON Schema, as a sink and as a route key', () => {
    const schema = buildConfigSchema() as { definitions: Record<string, { properties: Record<string, unknown> }> };
    expect(schema.definitions[definition.configClass.name].properties.type).toEqual({ const: type });
    expect(schema.definitions.RouteConfig.properties[type]).toEqual({ $ref: `#/definitions/${definition.templatesClass.name}` });
  });

  describe('with the settings of a shipped config', () => {
    const shipped = loaded.find((sink) => sink.config.type === type);
    let sink: Sink | undefined;
    afterAll(() => sink?.close());

    it('is used by a shipped config (config/), so users have an example', () => {
      expect(shipped).toBeDefined();
    });

    it('builds a sender of its type and name whose render is pure (the same message twice, nothing sent)', () => {
      sink = definition.create(shipped!.name, shipped!.templates, shipped!.config);
      expect(sink).toBeInstanceOf(Sink);
      expect([sink.type, sink.name]).toEqual([type, shipped!.name]);
      expect(sink.render(event)).toEqual(sink.render(event));
    });

    it('lists its secrets as non-empty strings', () => {
      const secrets = definition.secrets(shipped!.config);
      expect(secrets.every((secret) => typeof secret === 'string' && secret.length > 0)).toBe(true);
    });
  });
});
