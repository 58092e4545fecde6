import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JoggEnvelope } from '../common/jogg-event';
import { matchRoutes } from '../rules/route';
import { SinkFactory } from '../sink-registry/sink.factory';
import { SlackMessage } from '../sinks/slack/slack.sink';
import { loadConfig } from './config.loader';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'jogg');
const samples: JoggEnvelope[] = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));

const isVideoFailure = (event: string) => /^generated_.*video_failed$/.test(event);

/**
 * Every shipped config, and how many deliveries each sample event gets from it (one per matching route and
 * sink). A config that posts one failure twice, or drops a kind of event, fails here.
 */
const EXPECTED: Record<string, (e: JoggEnvelope) => number> = {
  'config/bridge.yaml': (e) => (e.event.endsWith('_failed') ? 2 : 1), // file; + console for failures
  'config/compose.yaml': (e) => (e.event.endsWith('_failed') ? 3 : 1), // kafka; + email and console for failures
  'config/examples/slack.yaml': (e) => (e.event.endsWith('_failed') ? 1 : 0), // exactly one message per failure
  'config/examples/kafka.yaml': () => 1, // successes and failures each to one topic
  'config/examples/email.yaml': (e) => (isVideoFailure(e.event) ? 1 : 0),
  'config/examples/http.yaml': (e) =>
    1 + (e.event.endsWith('_failed') ? 1 : 0) + (e.event === 'generated_avatar_video_success' && Number(e.data.duration) >= 60 ? 1 : 0),
};

describe('shipped configs', () => {
  it('every config file shipped is covered here', () => {
    const shipped = ['config/bridge.yaml', 'config/compose.yaml', ...readdirSync('config/examples').map((file) => `config/examples/${file}`)];
    expect(Object.keys(EXPECTED).sort()).toEqual(shipped.filter((file) => file.endsWith('.yaml')).sort());
  });

  it.each(Object.keys(EXPECTED))('%s: each sample event gets the intended number of deliveries', (file) => {
    const config = loadConfig({ path: file, env: {} });
    const counts = samples.map((e) => [e.event, matchRoutes(config.routes, e).reduce((n, route) => n + route.to.length, 0)]);
    expect(counts).toEqual(samples.map((e) => [e.event, EXPECTED[file](e)]));
  });

  it('the Slack message the README shows is the one the default template sends', () => {
    const config = loadConfig({ path: 'config/examples/slack.yaml', env: {} });
    const sink = new SinkFactory().create(config.sinks.get('ops-channel')!);
    const envelope = JSON.parse(readFileSync(join(FIXTURES, 'generated_video_failed.json'), 'utf8')) as JoggEnvelope;
    const event = { id: 1, deliveryId: 1, envelope, body: JSON.stringify(envelope), endpoint: null, receivedAt: Date.now() };
    const { text } = sink.render(event) as SlackMessage;
    expect(text).toBe(':x: *generated_video_failed* `ba25c1984f72606f56de166b4c82aefb` failed: Video generation failed (code 50000, 2025-11-26T00:00:01.000Z)');
    expect(readFileSync('README.md', 'utf8')).toContain(`\n${text}\n`);
    expect(readFileSync('config/examples/slack.yaml', 'utf8')).toContain(text);
  });

  it('the group message the README shows is the one the default group templates send', () => {
    const config = loadConfig({ path: 'config/examples/slack.yaml', env: {} });
    expect(config.groups.routes.get('video-failures')).toEqual({ by: ['event', 'data.error.code'], waitMs: 30_000, intervalMs: 300_000, max: 20 });
    const sink = new SinkFactory().create(config.sinks.get('ops-channel')!);
    const envelope = JSON.parse(readFileSync(join(FIXTURES, 'generated_video_failed.json'), 'utf8')) as JoggEnvelope;
    const members = Array.from({ length: 20 }, (_, i) => ({ envelope, receivedAt: 0, bridgeId: i + 1 }));
    const message = sink.renderGroup!({
      id: 17, deliveryId: 1, route: 'video-failures', labels: { event: 'generated_video_failed', 'data.error.code': '50000' }, count: 500, counts: [{ event: 'generated_video_failed', count: 500 }],
      members, openedAt: 0, flushedAt: 30_000, cli: 'jogg-bridge groups show 17',
    }) as SlackMessage;
    const blocks = message.blocks as { text?: { text: string }; elements?: { text: string }[] }[];
    const shown = [blocks[0].text!.text, blocks[1].text!.text.split('\n')[0], blocks[blocks.length - 1].elements![0].text];
    expect(shown).toEqual([
      '500 × generated_video_failed (data.error.code=50000) in 30 s',
      '• `ba25c1984f72606f56de166b4c82aefb` code 50000: Video generation failed',
      '*+480 more* · group 17 · route video-failures · `jogg-bridge groups show 17`',
    ]);
    for (const line of shown) expect(readFileSync('README.md', 'utf8')).toContain(`\n${line}\n`);
  });
});
