import Database from 'better-sqlite3';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { cli } from '../support/cli';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SlackPost, SlackStandIn } from '../support/slack-standin';
import { sleep, waitFor } from '../support/wait';

/**
 * Alert grouping on the built bridge (node dist/main.js): a burst of failures becomes a handful of Slack messages
 * whose counts add up, and a kill -9 during a group's wait or its send neither loses a member nor sends one twice.
 */
const SECRET = 'grouping-secret';
const INTERVAL_MS = 4_000;

function config(slackUrl: string, wait: string): string {
  return `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  alerts: { type: slack, url: "${slackUrl}" }
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    group: { by: [event], wait: ${wait}, interval: ${INTERVAL_MS}ms, max: 20 }
`;
}

const failure = () => videoEvent('generated_video_failed', { error: { code: 18020, message: 'Insufficient credits to generate the video' } });

/** Posts `count` failures in `waves` waves (one a second), 25 requests in flight; returns the video ids acknowledged. */
async function burst(url: string, count: number, waves: number): Promise<string[]> {
  const acked: string[] = [];
  const perWave = Math.ceil(count / waves);
  for (let wave = 0; wave < waves; wave++) {
    const started = Date.now();
    const events = Array.from({ length: Math.min(perWave, count - wave * perWave) }, failure);
    for (let i = 0; i < events.length; i += 25) {
      await Promise.all(events.slice(i, i + 25).map(async (body) => {
        const text = JSON.stringify(body);
        const res = await fetch(`${url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, SECRET) });
        await res.text();
        if (res.status === 200) acked.push(body.data.video_id);
      }));
    }
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
  return acked;
}

/** What one group message says: its group, how many it counts, the resource ids it lists, how many more. */
function readMessage(post: { payload: unknown }) {
  const json = JSON.stringify(post.payload);
  const payload = post.payload as { text: string; blocks: { type: string; text?: { text: string } }[] };
  const count = Number(/(\d+) × generated_video_failed/.exec(payload.text)![1]);
  const group = Number(/groups show (\d+)/.exec(json)![1]);
  const listed = payload.blocks.filter((b) => b.type === 'section').flatMap((b) => [...b.text!.text.matchAll(/`(vid-[^`]+)`/g)].map((m) => m[1]));
  const more = Number(/\+(\d+) more/.exec(json)?.[1] ?? 0);
  return { group, count, listed, more, json };
}

/** Each event's memberships, and each group with its delivery's status, read from the stopped bridge's database. */
function storedGroups(dir: string) {
  const db = new Database(join(dir, 'bridge.db'), { readonly: true });
  try {
    const memberships = db.prepare(`SELECT e.body, COUNT(m.group_id) AS n FROM events e LEFT JOIN group_members m ON m.event_pk = e.id GROUP BY e.id`).all() as { body: string; n: number }[];
    const groups = db.prepare(`SELECT g.id, g.state, g.members, d.status FROM alert_groups g LEFT JOIN deliveries d ON d.id = g.delivery_id ORDER BY g.id`).all() as
      { id: number; state: string; members: number; status: string }[];
    return { memberships: memberships.map((m) => ({ videoId: JSON.parse(m.body).data.video_id as string, groups: m.n })), groups };
  } finally {
    db.close();
  }
}

describe('alert grouping on the built bridge', () => {
  let slack: SlackStandIn;
  let bridge: BridgeProcess | undefined;

  beforeEach(async () => {
    slack = await SlackStandIn.start();
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
    await slack.close();
  });

  const sum = (posts: readonly SlackPost[]) => posts.reduce((n, p) => n + readMessage(p).count, 0);

  it('turns a burst of 500 failures in 10 s into a handful of Slack messages whose counts add up to exactly 500', async () => {
    bridge = await BridgeProcess.launch(config(slack.webhook('ok'), '2s'));
    const started = Date.now();
    const acked = await burst(bridge.url, 500, 10);
    const sentFor = Date.now() - started;
    expect(acked).toHaveLength(500);
    await waitFor(() => sum(slack.posts) >= 500, 60_000, 'group messages counting 500 failures');
    await sleep(INTERVAL_MS + 1500); // nothing more may come
    const messages = slack.posts.map(readMessage);
    // one message per interval while the burst lasts, and the one after the first wait
    expect(messages.length).toBeLessThanOrEqual(2 + Math.ceil(sentFor / INTERVAL_MS));
    expect(messages.reduce((n, m) => n + m.count, 0)).toBe(500);
    expect(new Set(messages.map((m) => m.group)).size).toBe(messages.length);
    for (const m of messages) {
      expect(m.listed).toHaveLength(Math.min(20, m.count));
      expect(m.more).toBe(m.count - m.listed.length);
    }
    const listed = messages.flatMap((m) => m.listed);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.every((id) => acked.includes(id))).toBe(true);
    // Slack's limits: the stand-in refuses oversized blocks (400) and a second message within a second (429)
    expect(slack.answers.filter((a) => a.status !== 200)).toEqual([]);
    const gaps = slack.posts.slice(1).map((p, i) => p.at - slack.posts[i].at);
    expect(gaps.every((gap) => gap >= 1000)).toBe(true);
    await bridge.stop();
    const stored = storedGroups(bridge.dir);
    expect(stored.memberships.every((m) => m.groups === 1)).toBe(true);
    expect(stored.groups.every((g) => g.state === 'flushed' && g.status === 'delivered')).toBe(true);
    expect(stored.groups.map((g) => g.members)).toEqual(messages.map((m) => m.count));
    // the numbers the README quotes
    console.log(`burst: 500 failures in ${(sentFor / 1000).toFixed(1)} s -> ${messages.length} Slack messages counting ${messages.map((m) => m.count).join(' + ')}`);
  }, 120_000);

  async function restartAndSettle(victim: BridgeProcess, expected: number): Promise<SlackPost[]> {
    await victim.kill('SIGKILL');
    slack.hold = false;
    bridge = await BridgeProcess.start(victim.configPath, {});
    bridge.dir = victim.dir;
    await waitFor(() => sum(slack.posts) >= expected, 30_000, `group messages counting ${expected}`);
    await sleep(INTERVAL_MS + 1500);
    return slack.posts;
  }

  function expectEachMemberOnce(posts: readonly SlackPost[], acked: readonly string[]): void {
    const messages = posts.map(readMessage);
    expect(messages.reduce((n, m) => n + m.count, 0)).toBe(acked.length);
    expect(new Set(messages.map((m) => m.group)).size).toBe(messages.length);
  }

  it('loses and repeats nothing when killed (-9) during a group\'s wait', async () => {
    const victim = (bridge = await BridgeProcess.launch(config(slack.webhook('ok'), '10s')));
    const acked = await burst(victim.url, 120, 1);
    expect(acked).toHaveLength(120);
    expect(slack.posts).toEqual([]); // the group is still waiting
    const posts = await restartAndSettle(victim, 120);
    expectEachMemberOnce(posts, acked);
    await bridge!.stop();
    const stored = storedGroups(victim.dir);
    expect(stored.memberships.filter((m) => m.groups !== 1)).toEqual([]);
    expect(stored.groups.map((g) => [g.members, g.status])).toEqual([[120, 'delivered']]);
    // every member shows that it went out with group message N (the command the message names)
    const shown = await cli(['groups', 'show', String(stored.groups[0].id), '--config', victim.configPath, '--json']);
    expect(shown.status).toBe(0);
    const group = JSON.parse(shown.stdout);
    expect(group).toMatchObject({ id: stored.groups[0].id, state: 'flushed', members: 120, delivery: { status: 'delivered', groupId: stored.groups[0].id } });
    expect(group.events.map((e: { resource: string }) => e.resource).sort()).toEqual([...acked].sort());
    expect(group.labels).toEqual(JSON.parse(group.key)); // the key as an object too
    expect(Object.keys(group.labels).length).toBeGreaterThan(0);
    const [newest] = JSON.parse((await cli(['events', 'list', '--limit', '1', '--json', '--config', victim.configPath])).stdout);
    const member = JSON.parse((await cli(['events', 'show', String(newest.id), '--json', '--config', victim.configPath])).stdout);
    expect(member.deliveries).toEqual([]);
    expect(member.groups).toEqual([expect.objectContaining({ id: stored.groups[0].id, deliveryId: group.delivery.id, state: 'flushed' })]);
    const shownText = (await cli(['events', 'show', String(newest.id), '--config', victim.configPath])).stdout;
    expect(shownText).toContain(`in group ${stored.groups[0].id} (failures → alerts, 120 events): sent as delivery ${group.delivery.id}`);
    const listed = await cli(['groups', 'list', '--config', victim.configPath]);
    expect(listed.stdout).toMatch(new RegExp(`^${stored.groups[0].id}\\s+flushed\\s+failures\\s+alerts\\s+event=generated_video_failed\\s+120\\s`, 'm'));
  }, 90_000);

  it('loses and repeats nothing when killed (-9) while the group message is being sent', async () => {
    const victim = (bridge = await BridgeProcess.launch(config(slack.webhook('ok'), '1s')));
    slack.hold = true;
    const acked = await burst(victim.url, 120, 1);
    expect(acked).toHaveLength(120);
    await waitFor(() => slack.held.length > 0, 20_000, 'the group message to be on its way');
    // a burst slower than the wait (a busy machine) leaves its tail for the next group: the first may hold fewer
    const inFlight = readMessage(slack.held[0]);
    expect(inFlight.count).toBeGreaterThan(0);
    const posts = await restartAndSettle(victim, 120);
    // the message cut off by the kill is sent again after the restart, once; every member is in one acknowledged message
    expectEachMemberOnce(posts, acked);
    expect(posts.map((p) => readMessage(p).group)).toContain(inFlight.group);
    await bridge!.stop();
    const stored = storedGroups(victim.dir);
    expect(stored.memberships.filter((m) => m.groups !== 1)).toEqual([]);
    expect(stored.groups.map((g) => g.status)).toEqual(stored.groups.map(() => 'delivered'));
    expect(stored.groups.reduce((n, g) => n + g.members, 0)).toBe(120);
  }, 90_000);
});
