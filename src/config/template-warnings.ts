import { definitionOf, SINK_TYPES } from '../sinks/definitions';
import { unsafeJsonTags } from '../templating';
import { Path } from '../rules/route';
import { BridgeConfigFile, templateOverrides } from './bridge-config';
import { LoadedSink } from './loaded-config';

export interface TemplateWarning { path: Path; message: string }

/**
 * String templates that produce JSON and splice payload text into it: `'{"text": "{{ error_message }}"}'`
 * lets an error message add keys. Not an error (the config works), but worth a warning at every load.
 */
export function templateWarnings(source: BridgeConfigFile, sinks: ReadonlyMap<string, LoadedSink>): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  for (const { name, config } of sinks.values()) {
    const fields = config as unknown as Record<string, unknown>;
    const definition = definitionOf(config);
    const jsonFields = definition.jsonFields?.(config) ?? [];
    for (const field of definition.templateFields) {
      warnings.push(...check(fields[field], ['sinks', name, field], jsonFields.includes(field)));
    }
  }
  (source.routes ?? []).forEach((route, index) => {
    for (const type of SINK_TYPES) {
      const overrides = templateOverrides(route, type);
      if (!overrides) continue;
      // a field is sent as JSON when it is for one of the route's sinks of this type
      const jsonFields = new Set(route.to.flatMap((to) => {
        const sink = sinks.get(to)?.config;
        return sink?.type === type ? definitionOf(sink).jsonFields?.(sink) ?? [] : [];
      }));
      for (const [field, value] of Object.entries(overrides)) {
        warnings.push(...check(value, ['routes', index, type, field], jsonFields.has(field)));
      }
    }
  });
  return warnings;
}

/** `{"…`, `{}`, `[{`, `[[`, `["…`, `[]`: JSON, not `{{ tag }}` or `[jogg] {{ event }}`. */
const LOOKS_LIKE_JSON = /^\s*(\{\s*["}]|\[\s*(\{(?!\{)|[["\]]))/;

function check(template: unknown, path: Path, jsonContent: boolean): TemplateWarning[] {
  if (typeof template !== 'string') return [];
  if (!jsonContent && !LOOKS_LIKE_JSON.test(template)) return [];
  const unsafe = unsafeJsonTags(template);
  if (!unsafe.length) return [];
  const tags = [...new Set(unsafe.map((u) => u.tag))].join(', ');
  const where = unsafe.some((u) => u.inString) ? 'inside a JSON string' : 'without the json filter';
  return [{
    path,
    message: `this template produces JSON and puts ${tags} ${where}: payload text such as '", "admin": true, "x": "' would add keys. ` +
      'Write it as a YAML mapping (HTTP body, Kafka value: each string is a template, sent as JSON), or use {{ value | json }} outside quotes',
  }];
}
