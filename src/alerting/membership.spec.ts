import { fieldValue, groupKey, groupLabels } from './membership';

const envelope = { event: 'generated_video_failed', timestamp: 1, data: { video_id: 'v1', error: { code: 18020, message: 'no credits' } } };

describe('group keys', () => {
  it('reads event fields by path; absent and null are ""', () => {
    expect(fieldValue(envelope, 'event')).toBe('generated_video_failed');
    expect(fieldValue(envelope, 'data.error.code')).toBe('18020');
    expect(fieldValue(envelope, 'data.error')).toBe('{"code":18020,"message":"no credits"}');
    expect(fieldValue(envelope, 'data.nope.deeper')).toBe('');
    expect(fieldValue(envelope, 'data.constructor')).toBe('');
  });

  it('puts events with the same values in one key, and tells the labels back', () => {
    const key = groupKey(['event', 'data.error.code'], envelope);
    expect(key).toBe(groupKey(['event', 'data.error.code'], { ...envelope, data: { video_id: 'v2', error: { code: 18020 } } }));
    expect(key).not.toBe(groupKey(['event', 'data.error.code'], { ...envelope, data: { error: { code: 50000 } } }));
    expect(groupLabels(key)).toEqual({ event: 'generated_video_failed', 'data.error.code': '18020' });
  });
});
