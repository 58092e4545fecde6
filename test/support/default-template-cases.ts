import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Events on which the sinks' default templates are checked against the output they had before templates
 * moved to Liquid (test/golden/default-templates.json): every sample, plus the edges of the old sections
 * (empty strings, 0, absent fields) and text that Slack or HTML escaping changes.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'jogg');

export interface DefaultTemplateCase {
  name: string;
  envelope: { event: string; event_id?: string; timestamp: number; data: Record<string, unknown> };
}

const EDGES: DefaultTemplateCase[] = [
  { name: 'empty ids and messages', envelope: { event: 'generated_video_failed', event_id: '', timestamp: 1764115201, data: { video_id: '', error: { code: '', message: '' } } } },
  { name: 'code 0, no event id', envelope: { event: 'generated_video_failed', timestamp: 1764115201, data: { video_id: 'v', error: { code: 0, message: 'm' } } } },
  { name: 'numeric id, whitespace message', envelope: { event: 'generated_image_failed', event_id: 'e', timestamp: 1764115201, data: { photo_id: 0, error: ' ' } } },
  { name: 'markup in the payload', envelope: { event: 'generated_video_failed', event_id: '<e>', timestamp: 1764115201, data: { video_id: '<@U123> & <!here>', error: { code: 1, message: '<script>"x" & \'y\'</script>\n{{ event }} {% if x %}' } } } },
  { name: 'no data', envelope: { event: 'something_else', timestamp: 0, data: {} } },
];

export function defaultTemplateCases(): DefaultTemplateCase[] {
  const samples = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file, envelope: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) }));
  return [...samples, ...EDGES];
}
