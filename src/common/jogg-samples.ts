import { randomBytes, randomInt } from 'node:crypto';
import { JoggEnvelope } from './jogg-event';

const hex = (bytes = 16) => randomBytes(bytes).toString('hex');

/** An event id as JoggAI writes them: 32 hex digits. */
export const newEventId = (): string => hex();
const RES = 'https://res.jogg.ai';

/**
 * A realistic body for any JoggAI event, in the shape JoggAI documents (see docs/JOGGAI.md §3): video
 * and avatar events carry an `event_id`, script, image and motion events do not; failures carry an error
 * object on video and avatar events and a plain string on image and motion events.
 */
export function sampleEvent(event: string, now = Date.now()): JoggEnvelope {
  const failed = event.endsWith('_failed');
  const family = familyOf(event);
  const data = (failed ? FAILED : SUCCESS)[family]();
  if (event === 'generated_product_avatar_success') delete data.cover_url; // JoggAI sends no cover for product avatars
  const withId = family === 'video' || family === 'avatar' || family === 'other';
  return { ...(withId ? { event_id: hex() } : {}), event, timestamp: Math.floor(now / 1000), data };
}

type Family = 'video' | 'avatar' | 'script' | 'image' | 'motion' | 'other';

function familyOf(event: string): Family {
  if (/_video_(success|failed)$/.test(event)) return 'video';
  if (/avatar_(success|failed)$/.test(event)) return 'avatar';
  if (event.startsWith('generated_script_')) return 'script';
  if (event.startsWith('generated_image_')) return 'image';
  if (event.startsWith('generated_motion_')) return 'motion';
  return 'other';
}

const SUCCESS: Record<Family, () => Record<string, unknown>> = {
  video: () => {
    const id = hex();
    return { video_id: id, status: 'completed', video_url: `${RES}/videos/${id}.mp4`, cover_url: `${RES}/covers/${id}.jpg`, duration: 30.5 };
  },
  avatar: () => {
    const id = randomInt(10_000, 99_999);
    return { avatar_id: id, status: 'completed', preview_url: `${RES}/avatars/${id}.mp4`, cover_url: `${RES}/avatars/${id}.jpg` };
  },
  script: () => ({
    task_id: `task_${hex(5)}`,
    status: 'completed',
    scripts: [
      { script_style: 'Storytime', script_paragraphs: 'Meet the product that saves you an hour a day.' },
      { script_style: 'Problem-Solution', script_paragraphs: 'Late again? Not any more.' },
    ],
  }),
  image: () => {
    const id = `photo_${hex(5)}`;
    return { photo_id: id, photo_urls: [`${RES}/images/${id}_1.png`, `${RES}/images/${id}_2.png`] };
  },
  motion: () => {
    const id = `motion_${hex(5)}`;
    return { motion_id: id, motion_url: `${RES}/motions/${id}.mp4`, photo_url: `${RES}/images/${id}.png` };
  },
  other: () => ({ id: hex(), status: 'completed' }),
};

const FAILED: Record<Family, () => Record<string, unknown>> = {
  video: () => ({ video_id: hex(), status: 'failed', error: { code: 50000, message: 'Video generation failed' } }),
  avatar: () => ({ avatar_id: randomInt(10_000, 99_999), status: 'failed', error: { code: 50000, message: 'Avatar generation failed' } }),
  script: () => ({ task_id: `task_${hex(5)}`, status: 'failed', error: 'Script generation failed' }),
  image: () => ({ photo_id: `photo_${hex(5)}`, error: 'Image generation failed due to invalid parameters' }),
  motion: () => ({ motion_id: `motion_${hex(5)}`, error: 'Motion generation failed due to invalid parameters' }),
  other: () => ({ id: hex(), status: 'failed', error: { message: 'failed' } }),
};

/** Sets `path` (dot-separated, e.g. "data.video_id") in `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  if (keys.some((k) => !k || k === '__proto__' || k === 'constructor' || k === 'prototype')) throw new Error(`bad path "${path}"`);
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}
