import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'jogg');

export interface Fixture {
  file: string;
  body: { event_id?: string; event: string; timestamp: number; data: Record<string, unknown> };
}

/** Every JoggAI sample body, with its timestamp moved to now (the samples are dated in the past). */
export function loadFixtures(now = Date.now()): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const body = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8'));
      return { file, body: { ...body, timestamp: Math.floor(now / 1000) } };
    });
}

let counter = 0;
/** A fresh event body with a unique event_id. */
export function videoEvent(event = 'generated_video_success', extra: Record<string, unknown> = {}) {
  counter += 1;
  const id = `${process.pid}-${Date.now()}-${counter}`;
  return {
    event_id: `evt-${id}`,
    event,
    timestamp: Math.floor(Date.now() / 1000),
    data: { video_id: `vid-${id}`, status: event.endsWith('_failed') ? 'failed' : 'completed', ...extra },
  };
}
