import { unsafeJsonTags } from '../templating';
import { Path } from '../rules/route';
import { BridgeConfigFile } from './bridge-config';
import { LoadedSink } from './loaded-config';
import { HttpSinkConfig, SINK_TYPES, TEMPLATE_FIELDS } from './sink-config';

export interface TemplateWarning { path: Path; message: string }

/**
 * String templates that produce JSON and splice payload text into it: `'{"text": "{{ error_message }}"}'`
 * lets an error message add keys. Not an error (the config works), but worth a warning at every load.
 */
export function templateWarnings(source: BridgeConfigFile, sinks: ReadonlyMap<string, LoadedSink>): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  for (const { name, config } of sinks.values()) {
    const fields = config as unknown as Record<string, unknown>;
    for (const field of TEMPLATE_FIELDS[config.type]) {
      const json = config.type === 'http' && field === 'body' && jsonContentType(config as HttpSinkConfig);
      warnings.push(...check(fields[field], ['sinks', name, field], json));
    }
  }
  (source.routes ?? []).forEach((route, index) => {
    for (const type of SINK_TYPES) {
      const overrides = route[type] as Record<string, unknown> | undefined;
      if (!overrides) continue;
      const json = type === 'http' && route.to.some((to) => {
        const sink = sinks.get(to)?.config;
        return sink?.type === 'http' && jsonContentType(sink as HttpSinkConfig);
      });
      for (const [field, value] of Object.entries(overrides)) {
        warnings.push(...check(value, ['routes', index, type, field], json && field === 'body'));
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

function jsonContentType(config: HttpSinkConfig): boolean {
  const entry = Object.entries(config.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  return !entry || /json/i.test(entry[1]);
}
