import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOGG_EVENTS } from './jogg-event';
import { sampleEvent, setPath } from './jogg-samples';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'jogg');

describe('sample events', () => {
  const documented = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !f.startsWith('observed_'));

  it('covers all 22 catalogue events', () => {
    expect(JOGG_EVENTS).toHaveLength(22);
    expect(documented.map((f) => f.replace('.json', '')).sort()).toEqual([...JOGG_EVENTS].sort());
  });

  it.each(documented)('has the same shape as the JoggAI sample %s', (file) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    const sample = sampleEvent(fixture.event, 1_764_115_200_000);
    expect(Object.keys(sample).sort()).toEqual(Object.keys(fixture).sort());
    expect(Object.keys(sample.data).sort()).toEqual(Object.keys(fixture.data).sort());
    for (const key of Object.keys(fixture.data)) expect([key, typeof sample.data[key]]).toEqual([key, typeof fixture.data[key]]);
    expect(sample.timestamp).toBe(1_764_115_200);
  });

  it('gives each sample fresh ids', () => {
    expect(sampleEvent('generated_video_success').event_id).not.toBe(sampleEvent('generated_video_success').event_id);
  });

  it('sets nested paths, refusing prototype keys', () => {
    const target: Record<string, unknown> = { data: { a: 1 } };
    setPath(target, 'data.error.message', 'boom');
    setPath(target, 'data.a', 2);
    expect(target).toEqual({ data: { a: 2, error: { message: 'boom' } } });
    expect(() => setPath(target, '__proto__.x', 1)).toThrow('bad path');
  });
});
