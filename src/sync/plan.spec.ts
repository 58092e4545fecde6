import { JOGG_EVENTS } from '../common/jogg-event';
import { JoggEndpoint } from './jogg-api.types';
import { describePlan, endpointUrl, planSync } from './plan';

const PUBLIC = 'https://bridge.example.com';
const remote = (name: string, over: Partial<JoggEndpoint> = {}): JoggEndpoint => ({
  endpoint_id: `wh_${name}`, url: endpointUrl(PUBLIC, name), secret: `secret-${name}`, status: 'enabled',
  events: ['generated_video_failed', 'generated_video_success'], ...over,
});
const base = { publicUrl: PUBLIC, catalogue: [...JOGG_EVENTS] };

describe('sync plan', () => {
  it('creates what is missing, updates what differs, deletes what is no longer configured, leaves the rest', () => {
    const plan = planSync({
      ...base,
      desired: [
        { name: 'new', events: ['generated_image_failed'], status: 'enabled' },
        { name: 'same', events: ['generated_video_success', 'generated_video_failed'], status: 'enabled' },
        { name: 'changed', events: ['generated_video_failed', 'generated_motion_failed'], status: 'disabled' },
      ],
      remote: [remote('same'), remote('changed'), remote('gone')],
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.pending).toBe(true);
    expect(plan.actions).toEqual([
      { kind: 'create', name: 'new', input: { url: `${PUBLIC}/webhooks/jogg/new`, status: 'enabled', events: ['generated_image_failed'] } },
      { kind: 'unchanged', name: 'same', endpointId: 'wh_same' },
      {
        kind: 'update', name: 'changed', endpointId: 'wh_changed',
        input: { url: `${PUBLIC}/webhooks/jogg/changed`, status: 'disabled', events: ['generated_motion_failed', 'generated_video_failed'] },
        changes: ['status enabled → disabled', '+ generated_motion_failed', '- generated_video_success'],
      },
      { kind: 'delete', name: 'gone', endpointId: 'wh_gone', url: `${PUBLIC}/webhooks/jogg/gone` },
    ]);
    expect(describePlan(plan).split('\n')).toEqual([
      `+ create new → ${PUBLIC}/webhooks/jogg/new [enabled] generated_image_failed`,
      '  same (wh_same) unchanged',
      '~ update changed (wh_changed): status enabled → disabled; + generated_motion_failed; - generated_video_success',
      `- delete gone (wh_gone) ${PUBLIC}/webhooks/jogg/gone`,
    ]);
  });

  it('is in sync when nothing differs (event order does not matter)', () => {
    const plan = planSync({ ...base, desired: [{ name: 'same', events: ['generated_video_success', 'generated_video_failed'], status: 'enabled' }], remote: [remote('same')] });
    expect(plan.pending).toBe(false);
  });

  it('lists foreign endpoints and never touches them, but counts them against the limit of 20', () => {
    const foreign = Array.from({ length: 19 }, (_, i) => remote(`f${i}`, { url: `https://other.example.com/hook/${i}` }));
    const plan = planSync({ ...base, desired: [{ name: 'a', events: ['generated_video_failed'], status: 'enabled' }], remote: foreign });
    expect(plan.foreign).toHaveLength(19);
    expect(plan.actions.map((a) => a.kind)).toEqual(['create']);
    expect(plan.refusals).toEqual([]);
    const over = planSync({ ...base, desired: [{ name: 'a', events: ['generated_video_failed'], status: 'enabled' }, { name: 'b', events: ['generated_video_failed'], status: 'enabled' }], remote: foreign });
    expect(over.refusals).toEqual(['the plan needs 21 endpoints (19 foreign) but JoggAI allows 20 per account']);
  });

  it('treats an endpoint under another public URL as foreign', () => {
    const plan = planSync({ ...base, desired: [], remote: [remote('x', { url: 'https://old.example.com/webhooks/jogg/x' })] });
    expect(plan.actions).toEqual([]);
    expect(plan.foreign).toEqual([{ endpointId: 'wh_x', url: 'https://old.example.com/webhooks/jogg/x' }]);
  });

  it('refuses a non-https public URL, unknown event names (unless allowed) and duplicate names', () => {
    const desired = [{ name: 'a', events: ['generated_hologram_success'], status: 'enabled' as const }, { name: 'a', events: ['generated_video_failed'], status: 'enabled' as const }];
    const plan = planSync({ ...base, publicUrl: 'http://bridge.example.com', desired, remote: [] });
    expect(plan.refusals).toEqual([
      'publicUrl must be an https:// URL JoggAI can reach, not "http://bridge.example.com"',
      'endpoint "a": generated_hologram_success not in JoggAI\'s event catalogue',
      'endpoint "a" is listed twice',
    ]);
    expect(planSync({ ...base, desired: desired.slice(0, 1), remote: [], allowUnknownEvents: true }).refusals).toEqual([]);
  });

  it('during a rotation keeps the older generation and diffs the newest; after it, deletes the older one', () => {
    const generations = [remote('videos'), remote('videos~1', { endpoint_id: 'wh_videos_1' })];
    const desired = [{ name: 'videos', events: ['generated_video_failed', 'generated_video_success'], status: 'enabled' as const }];
    const during = planSync({ ...base, desired, remote: generations, rotations: [{ name: 'videos', until: 2000 }], now: 1000 });
    expect(during.actions).toEqual([
      { kind: 'unchanged', name: 'videos', endpointId: 'wh_videos_1' },
      { kind: 'unchanged', name: 'videos', endpointId: 'wh_videos', rotating: true },
    ]);
    expect(during.pending).toBe(false);
    const after = planSync({ ...base, desired, remote: generations, rotations: [{ name: 'videos', until: 2000 }], now: 3000 });
    expect(after.actions[1]).toEqual({ kind: 'delete', name: 'videos', endpointId: 'wh_videos', url: `${PUBLIC}/webhooks/jogg/videos` });
  });
});
