// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { ValidationTypes } from '../common/class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { BridgeConfigFile } from './bridge-config';
import { SINK_DEFINITIONS } from '../sinks/definitions';
import './bridge-config';

type Schema = Record<string, unknown>;

const REFERENCE = { type: 'string', pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$', description: 'an environment variable, ${VAR} or ${VAR:-default}' };

const CUSTOM: Record<string, Schema> = {
  isDuration: {
    anyOf: [{ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' }, { type: 'number', minimum: 0 }],
    description: 'a duration: 500ms, 30s, 10m, 72h, 7d, 1h30m (a number means milliseconds)',
  },
  isSize: {
    anyOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?\\s*([bB]|[kKmMgG][iI]?[bB])?$' }, { type: 'integer', minimum: 1 }],
    description: 'a size: 512kb, 1mb (binary units), or a number of bytes',
  },
  isStringRecord: { type: 'object', additionalProperties: { type: 'string' } },
  isBodyTemplate: {
    anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'string' }],
    description: 'a mapping or list whose strings are templates, sent as JSON (a string that is exactly one {{ tag }} keeps the value\'s JSON type); or a string template',
  },
  isBooleanOrObject: { anyOf: [{ type: 'boolean' }, { type: 'object' }] },
  isEventList: { anyOf: [{ const: 'auto' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
};

/**
 * The JSON Schema of bridge.yaml, generated from the same class-validator classes that validate it,
 * so editors can complete and check the file. `jogg-bridge schema` prints it.
 */
export function buildConfigSchema(): Schema {
  const definitions = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/definitions/',
    additionalConverters: {
      [ValidationTypes.CUSTOM_VALIDATION]: (meta) => CUSTOM[(meta as { name?: string }).name ?? ''] ?? {},
    },
  }) as Record<string, Schema>;
  for (const [name, definition] of Object.entries(definitions)) tighten(name, definition);
  delete definitions.BaseSinkConfig;
  for (const { type, configClass } of SINK_DEFINITIONS) {
    const definition = definitions[configClass.name];
    (definition.properties as Record<string, Schema>).type = { const: type };
    definition.required = [...new Set(['type', ...((definition.required as string[]) ?? [])])];
  }
  const root = definitions.BridgeConfigFile;
  (root.properties as Record<string, Schema>).sinks = {
    type: 'object',
    description: 'sinks by name; routes send to them',
    propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
    additionalProperties: { oneOf: SINK_DEFINITIONS.map(({ configClass }) => ({ $ref: `#/definitions/${configClass.name}` })) },
  };
  const { properties, required } = root;
  delete definitions.BridgeConfigFile;
  pruneUnreachable(definitions, properties as Schema);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'jogg-bridge configuration (bridge.yaml)',
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required ? { required } : {}),
    definitions: sortKeys(definitions),
  };
}

/** Unknown keys are refused, keys with a default are optional, and scalars may be ${VAR} references. */
function tighten(name: string, definition: Schema): void {
  definition.additionalProperties = false;
  const defaults = defaultsOf(name);
  const required = ((definition.required as string[]) ?? []).filter((key) => defaults[key] === undefined);
  if (required.length) definition.required = required;
  else delete definition.required;
  const cls = CLASSES[name] ?? findClass(name);
  for (const [key, property] of Object.entries((definition.properties as Record<string, Schema>) ?? {})) {
    allowReferences(property);
    // lists read through splitList also take one string ("a@x, b@y")
    if (cls && property.type === 'array' && defaultMetadataStorage.findTransformMetadatas(cls, key, 1).length) {
      const { description, ...rest } = property;
      for (const k of Object.keys(property)) delete property[k];
      Object.assign(property, { anyOf: [rest, { type: 'string' }] }, description ? { description } : {});
    }
    if (defaults[key] !== undefined && typeof defaults[key] !== 'object') property.default = defaults[key];
  }
}

const CONTAINS_REFERENCE = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' };

function allowReferences(property: Schema): void {
  if (property.type === 'string' && (property.pattern || property.format || property.enum)) {
    const { description, ...rest } = property;
    for (const key of Object.keys(property)) delete property[key];
    Object.assign(property, { anyOf: [rest, CONTAINS_REFERENCE] }, description ? { description } : {});
    return;
  }
  if (property.type === 'integer' || property.type === 'number' || property.type === 'boolean') {
    const { description, ...rest } = property;
    for (const key of Object.keys(property)) delete property[key];
    Object.assign(property, { anyOf: [rest, REFERENCE] }, description ? { description } : {});
  }
}

const CLASSES: Record<string, new () => object> = { BridgeConfigFile, ...Object.fromEntries(SINK_DEFINITIONS.map(({ configClass }) => [configClass.name, configClass])) };

function defaultsOf(name: string): Record<string, unknown> {
  const cls = CLASSES[name] ?? findClass(name);
  if (!cls) return {};
  try {
    return new cls() as Record<string, unknown>;
  } catch {
    return {};
  }
}

function findClass(name: string): (new () => object) | undefined {
  const target = defaultMetadataStorage as unknown as { _typeMetadatas: Map<new () => object, Map<string, { typeFunction: () => new () => object }>> };
  for (const [, props] of target._typeMetadatas) {
    for (const meta of props.values()) {
      const cls = meta.typeFunction();
      if (cls?.name === name) return cls;
    }
  }
  return undefined;
}

function sortKeys(object: Record<string, Schema>): Record<string, Schema> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** class-validator's metadata is global: keep only the definitions the config itself refers to. */
function pruneUnreachable(definitions: Record<string, Schema>, root: Schema): void {
  const reachable = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/definitions/', '');
        if (!reachable.has(name)) {
          reachable.add(name);
          visit(definitions[name]);
        }
      } else visit(value);
    }
  };
  visit(root);
  for (const name of Object.keys(definitions)) if (!reachable.has(name)) delete definitions[name];
}
