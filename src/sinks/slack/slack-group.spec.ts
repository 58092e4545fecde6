import { compileTemplate, GroupInput } from '../../templating';
import { SlackSinkConfig } from './slack.config';
import { SlackSink } from './slack.sink';

const config = Object.assign(new SlackSinkConfig(), { type: 'slack', url: 'http://127.0.0.1:9/services/T/B/x' });

/** A group of `count` failures listing the first `listed`, with long error texts and markup in them. */
function group(count: number, listed: number): GroupInput {
  return {
    id: 17, deliveryId: 99, route: 'failures', labels: { event: 'generated_video_failed' }, count,
    counts: [{ event: 'generated_video_failed', count }],
    members: Array.from({ length: listed }, (_, i) => ({
      bridgeId: i + 1, receivedAt: Date.UTC(2026, 10, 30, 8, 0, i),
      envelope: { event: 'generated_video_failed', timestamp: 1_764_489_600, data: { video_id: `vid-${'x'.repeat(30)}-${i}`, error: { code: 18020, message: `<@U123> ${'credits '.repeat(40)}` } } },
    })),
    openedAt: Date.UTC(2026, 10, 30, 8, 0, 0), flushedAt: Date.UTC(2026, 10, 30, 8, 0, 30), cli: 'jogg-bridge groups show 17',
  };
}

describe('Slack group messages', () => {
  it('says how many, lists the first members with resource id and error, and how to see the rest', () => {
    const message = new SlackSink('alerts', {}, config).renderGroup(group(500, 20));
    expect(message.text).toBe(':rotating_light: *500 × generated_video_failed* in 30 s (+480 more not listed: `jogg-bridge groups show 17`)');
    const blocks = message.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(blocks[0].text!.text).toBe('500 × generated_video_failed in 30 s');
    const lines = blocks.filter((b) => b.type === 'section').flatMap((b) => b.text!.text.trim().split('\n'));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toMatch(/^• `vid-x+-0` code 18020: &lt;@U123&gt; credits credits .*…$/);
    expect(blocks[3].elements![0].text).toBe('*+480 more* · group 17 · route failures · `jogg-bridge groups show 17`');
  });

  it('names the rest of the group\'s key in the header, so two groups of one event tell apart', () => {
    const byCode = { ...group(54, 2), labels: { event: 'generated_video_failed', 'data.error.code': '18020' } };
    const message = new SlackSink('alerts', {}, config).renderGroup(byCode);
    expect((message.blocks as { text?: { text: string } }[])[0].text!.text).toBe('54 × generated_video_failed (data.error.code=18020) in 30 s');
    expect(message.text).toContain('*54 × generated_video_failed (data.error.code=18020)* in 30 s');
  });

  it('stays within Slack\'s limits with 50 members listed (no section over 3,000 characters, no empty section)', () => {
    const message = new SlackSink('alerts', {}, config).renderGroup(group(50, 50));
    const sections = (message.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section');
    expect(sections).toHaveLength(3);
    expect(sections.every((s) => s.text!.text.length <= 3000 && !s.text!.text.includes('(truncated)'))).toBe(true);
    expect(sections.flatMap((s) => s.text!.text.trim().split('\n'))).toHaveLength(50);
    expect(JSON.stringify(message.blocks)).not.toContain('more');
  });

  it('uses a route\'s group_text (text alone) over the defaults', () => {
    const overrides = { group_text: compileTemplate('{{ count }} failures: {% for e in events %}{{ e.resource_id }} {% endfor %}') };
    const message = new SlackSink('alerts', {}, config).renderGroup(group(3, 2), overrides);
    expect(message).toEqual({ text: `3 failures: vid-${'x'.repeat(30)}-0 vid-${'x'.repeat(30)}-1 ` });
  });
});
