import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

const SECRET = 'slack-test-secret';

describe('Slack sink against a Slack stand-in', () => {
  let slack: SlackStandIn;
  let bridge: TestBridge;

  beforeAll(async () => {
    slack = await SlackStandIn.start();
    const sink = (name: string, extra = '') => `  ${name}: { type: slack, url: "${slack.webhook(name)}"${extra} }`;
    bridge = await startBridge(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
retry: { attempts: 5, backoff: { initial: 100ms, max: 500ms, jitter: false } }
sinks:
${sink('ok', ', username: jogg-bridge, icon_emoji: ":movie_camera:"')}
${sink('blocks')}
${sink('long')}
${['archived', 'prohibited', 'no-channel', 'no-service', 'flaky', 'busy'].map((b) => sink(b)).join('\n')}
  ratelimited: { type: slack, url: "${slack.webhook('ratelimited')}", rateLimit: { perSecond: 10, burst: 10 }, concurrency: 4 }
  broken-blocks: { type: slack, url: "${slack.webhook('broken')}", blocks: [{ text: "no type" }] }
routes:
  - { name: default-text, match: { events: ["default_*"] }, to: [ok] }
  - name: templated
    match: { events: ["templated_*"] }
    to: [ok]
    slack: { text: ":rotating_light: {{ data.video_id }} — {{ error_message | default: \\"?\\" }}" }
  - name: with-blocks
    match: { events: ["blocks_*"] }
    to: [blocks]
    slack:
      text: "{{ event }}"
      blocks:
        - type: section
          text: { type: mrkdwn, text: "*{{ event }}* for \`{{ resource_id }}\`" }
        - type: context
          elements: [{ type: mrkdwn, text: "{{ error_message }}" }]
  - name: long
    match: { events: ["long_*"] }
    to: [long]
    slack:
      text: "{{ data.note }}"
      blocks:
        - { type: header, text: { type: plain_text, text: "{{ event }}" } }
        - type: section
          text: { type: mrkdwn, text: "{{ data.note }}" }
          fields: [${Array.from({ length: 12 }, () => '{ type: mrkdwn, text: "{{ data.note }}" }').join(', ')}]
${Array.from({ length: 58 }, () => '        - { type: divider }').join('\n')}
  - { name: errors, match: { events: ["error_*"] }, to: [archived, prohibited, no-channel, no-service, broken-blocks] }
  - { name: flaky, match: { events: ["flaky_*"] }, to: [flaky] }
  - { name: busy, match: { events: ["busy_*"] }, to: [busy] }
  - { name: burst, match: { events: ["burst_*"] }, to: [ok] }
  - { name: unlimited, match: { events: ["unlimited_*"] }, to: [ratelimited] }
`);
  });
  afterAll(async () => {
    await bridge.close();
    await slack.close();
  });

  async function send(body: object): Promise<number> {
    const text = JSON.stringify(body);
    const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
    expect(res.status).toBe(200);
    return res.body.id;
  }

  const deliveriesOf = (id: number) => bridge.store.listDeliveries({ eventPk: id });
  const settledAll = (id: number) =>
    waitFor(async () => {
      const list = await deliveriesOf(id);
      return list.length && list.every((d) => d.status === 'delivered' || d.status === 'dead') ? list : undefined;
    }, 15_000, `deliveries of event ${id} to settle`);

  it('posts a useful default failure message: event, resource id, error code and message, and time', async () => {
    const body = videoEvent('default_video_failed', { error: { code: 50000, message: 'GPU <melted> & gone' } });
    await settledAll(await send(body));
    const [post] = slack.postsTo('ok').slice(-1);
    const time = new Date(body.timestamp * 1000).toISOString();
    expect(post.payload).toEqual({
      text: `:x: *default_video_failed* \`${body.data.video_id}\` failed: GPU &lt;melted&gt; &amp; gone (code 50000, ${time})`,
      username: 'jogg-bridge',
      icon_emoji: ':movie_camera:',
    });
  });

  it('uses the string error of image and motion failures too', async () => {
    const id = await send({ event: 'default_image_failed', timestamp: Math.floor(Date.now() / 1000), data: { photo_id: `p-${Date.now()}`, error: 'bad prompt' } });
    await settledAll(id);
    expect(slack.postsTo('ok').slice(-1)[0].payload.text).toMatch(/^:x: \*default_image_failed\* `p-\d+` failed: bad prompt \(/);
  });

  it('renders a route text template and Block Kit blocks from YAML', async () => {
    const body = videoEvent('templated_video_failed', { error: { message: 'boom' } });
    await settledAll(await send(body));
    expect(slack.postsTo('ok').slice(-1)[0].payload.text).toBe(`:rotating_light: ${body.data.video_id} — boom`);

    const blocksBody = videoEvent('blocks_video_failed', { error: { message: '<!channel> wake up' } });
    await settledAll(await send(blocksBody));
    expect(slack.postsTo('blocks').slice(-1)[0].payload).toEqual({
      text: 'blocks_video_failed',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*blocks_video_failed* for \`${blocksBody.data.video_id}\`` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '&lt;!channel&gt; wake up' }] },
      ],
    });
  });

  it("cuts a huge message to Slack's limits, visibly, instead of having it truncated silently or refused", async () => {
    const event = `long_${'x'.repeat(190)}`;
    const [delivery] = await settledAll(await send({ ...videoEvent(event), data: { video_id: 'v', note: 'n'.repeat(900_000) } }));
    expect([delivery.status, delivery.lastError]).toEqual(['delivered', null]);
    const { payload } = slack.postsTo('long').slice(-1)[0];
    const blocks = payload.blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
    expect((payload.text as string).length).toBe(40_000);
    expect((payload.text as string).endsWith('…(truncated)')).toBe(true);
    expect(blocks).toHaveLength(50);
    expect(blocks[0].text!.text).toBe(`${event.slice(0, 150 - 12)}…(truncated)`);
    expect(blocks[1].text!.text).toBe(`${'n'.repeat(3000 - 12)}…(truncated)`);
    expect(blocks[1].fields!.map((f) => f.text.length)).toEqual(Array(10).fill(2000));
    expect(blocks[49].elements![0].text).toBe('…(truncated): 11 more blocks not shown');
  });

  it("dead-letters Slack's permanent errors at once", async () => {
    const deliveries = await settledAll(await send(videoEvent('error_video_failed')));
    const bySink = Object.fromEntries(deliveries.map((d) => [d.sink, [d.status, d.attempts, d.lastError]]));
    expect(bySink).toEqual({
      archived: ['dead', 1, 'Slack answered 410 channel_is_archived'],
      prohibited: ['dead', 1, 'Slack answered 403 action_prohibited'],
      'no-channel': ['dead', 1, 'Slack answered 404 channel_not_found'],
      'no-service': ['dead', 1, 'Slack answered 404 no_service'],
      'broken-blocks': ['dead', 1, 'Slack answered 400 invalid_blocks'],
    });
  });

  it('retries a 5xx', async () => {
    const [delivery] = await settledAll(await send(videoEvent('flaky_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['delivered', 2]);
  });

  it('waits for Retry-After on a 429', async () => {
    const [delivery] = await settledAll(await send(videoEvent('busy_video_failed')));
    expect([delivery.status, delivery.attempts]).toEqual(['delivered', 2]);
    const answers = slack.answers.filter((a) => a.path.endsWith('/busy'));
    expect(answers.map((a) => a.status)).toEqual([429, 200]);
    expect(answers[1].at - answers[0].at).toBeGreaterThanOrEqual(2000);
  }, 20_000);

  it('keeps to one message per second per webhook by default, so Slack never has to say 429', async () => {
    const before = slack.postsTo('ok').length;
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await send(videoEvent('burst_video_success')));
    for (const id of ids) await settledAll(id);
    const posts = slack.postsTo('ok').slice(before);
    expect(posts).toHaveLength(4);
    posts.slice(1).forEach((p, i) => expect(p.at - posts[i].at).toBeGreaterThanOrEqual(990));
    expect(slack.answers.filter((a) => a.path.endsWith('/ok') && a.status === 429)).toEqual([]);
  }, 20_000);

  it('retries what Slack rate-limits when the configured limit is too generous, and delivers all', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await send(videoEvent('unlimited_video_success')));
    for (const id of ids) {
      const [delivery] = await settledAll(id);
      expect(delivery.status).toBe('delivered');
    }
    expect(slack.answers.filter((a) => a.path.endsWith('/ratelimited') && a.status === 429).length).toBeGreaterThan(0);
  }, 20_000);
});
