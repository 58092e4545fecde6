import { BridgeProcess } from '../support/bridge-process';
import { cli } from '../support/cli';
import { videoEvent } from '../support/fixtures';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

/**
 * Silences from the command line against the built bridge (node dist/main.js): the CLI writes to the store, the
 * serving bridge applies the silence within a second, matching failures are recorded `silenced` (not sent), the
 * others are sent; after `silence expire` they are sent again.
 */
const SECRET = 'silence-cli-secret';

describe('silences from the command line, on the built bridge', () => {
  let slack: SlackStandIn;
  let bridge: BridgeProcess;
  beforeAll(async () => {
    slack = await SlackStandIn.start();
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks: { alerts: { type: slack, url: "${slack.webhook('ok')}", rateLimit: { perSecond: 20, burst: 5 } } }
routes: [{ name: failures, match: { events: ["*_failed"] }, to: [alerts] }]
`);
  });
  afterAll(async () => {
    await bridge.close();
    await slack.close();
  });

  const run = async (...args: string[]) => {
    const result = await cli([...args, '--config', bridge.configPath]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  };
  const send = async (code: number) => {
    const body = videoEvent('generated_video_failed', { error: { code, message: `failure ${code}` } });
    const res = await bridge.webhook(body, SECRET);
    expect(res.status).toBe(200);
    return res.body.id as number;
  };
  const statusOf = async (eventId: number): Promise<string> => JSON.parse(await run('events', 'show', String(eventId), '--json')).deliveries[0].status;
  const settled = async (id: number) => {
    const status = await statusOf(id);
    return status === 'silenced' || status === 'delivered' ? status : undefined;
  };
  /** Sends probes until one ends as `wanted` (the bridge reads the silences again every second); returns its id. */
  const probeUntil = (code: number, wanted: string) => waitFor(async () => {
    const id = await send(code);
    return (await waitFor(() => settled(id), 10_000, 'the probe to be sent or silenced')) === wanted ? id : undefined;
  }, 20_000, `a probe to be ${wanted}`);

  it('silence add / list / expire: matching failures are recorded silenced and not sent until the silence expires', async () => {
    const added = JSON.parse(await run('silence', 'add', '--match', 'event=generated_video_failed', '--match', 'data.error.code=18020',
      '--for', '2h', '--comment', 'credits topped up', '--author', 'ops', '--json'));
    expect(added).toMatchObject({ comment: 'credits topped up', createdBy: 'ops' });
    expect(await run('silence', 'list')).toMatch(new RegExp(`^${added.id}\\s+active\\s+event=generated_video_failed data.error.code=18020\\s.*ops\\s+credits topped up$`, 'm'));

    await probeUntil(18020, 'silenced');
    const sentBefore = slack.posts.length;
    const held = await Promise.all([send(18020), send(18020), send(18020)]);
    const other = await send(50000);
    await waitFor(async () => (await statusOf(other)) === 'delivered', 10_000, 'the other failure to be sent');
    for (const id of held) expect(await statusOf(id)).toBe('silenced');
    expect(slack.posts.length).toBe(sentBefore + 1);
    const silenced = JSON.parse(await run('deliveries', 'list', '--status', 'silenced', '--json')) as { eventPk: number; silenceId: number }[];
    expect(silenced.filter((d) => held.includes(d.eventPk)).map((d) => d.silenceId)).toEqual([added.id, added.id, added.id]);
    expect(await run('deliveries', 'list', '--status', 'silenced')).toContain(`silenced (silence ${added.id})`);

    expect(await run('silence', 'expire', String(added.id))).toBe(`silence ${added.id} expired\n`);
    expect(await run('silence', 'list')).not.toContain('credits topped up');
    expect(await run('silence', 'list', '--all')).toMatch(new RegExp(`^${added.id}\\s+expired\\s`, 'm'));
    await probeUntil(18020, 'delivered');
    const again = await cli(['silence', 'expire', String(added.id), '--config', bridge.configPath]);
    expect([again.status, again.stderr.trim()]).toEqual([1, `jogg-bridge: no silence ${added.id} in force`]);
    const text = await run('silence', 'add', '--match', 'data.error.code=1', '--for', '1m', '--comment', 'names who applies it');
    expect(text).toMatch(new RegExp(`^silence \\d+ until \\S+: data.error.code=1\\nthe bridge serving \\S+/bridge\\.db \\(pid ${bridge.pid} on \\S+\\) applies it within a second\\n$`));
    const noSink = await cli(['silence', 'add', '--match', 'sink=alert', '--match', 'route=failures', '--for', '1m', '--comment', 'a typo', '--config', bridge.configPath]);
    expect([noSink.status, noSink.stderr]).toEqual([0, 'note: the config has no sink "alert" (did you mean "alerts"?): this silence holds nothing until one is added\n']);
    const replayNoSink = await cli(['replay', '--dead', '--sink', 'alert', '--config', bridge.configPath]);
    expect([replayNoSink.status, replayNoSink.stdout, replayNoSink.stderr]).toEqual([0, 'replayed 0 deliveries\n',
      'note: the config has no sink "alert" (did you mean "alerts"?): it has no dead letters to replay\n']);
    const typo = await cli(['silence', 'add', '--match', 'evnt=generated_video_failed', '--for', '1h', '--comment', 'x', '--config', bridge.configPath]);
    expect([typo.status, typo.stderr]).toEqual([1, expect.stringContaining('"evnt" is no field of an event or delivery')]);
    expect(await run('silence', 'list', '--all')).not.toMatch(/evnt/);
  }, 90_000);
});
