import { start, TestCluster } from '../../scripts/pg-cluster';
import { startBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

const SECRET = 'pg-alerting-secret';

/** Grouping and silences end to end on PostgreSQL: two bridges on one database, concurrent failures, one message. */
describe('alerting on PostgreSQL', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await start();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('two instances put one burst into one group, send it once, and record silenced failures', async () => {
    const slack = await SlackStandIn.start();
    const url = await cluster.database('alerting_e2e');
    const yaml = `
store: { driver: postgres, url: "\${DATABASE_URL}" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks: { alerts: { type: slack, url: "${slack.webhook('ok')}" } }
routes: [{ name: failures, match: { events: ["*_failed"] }, to: [alerts], group: { by: [event], wait: 2s } }]
`;
    const [a, b] = [await startBridge(yaml, { DATABASE_URL: url }), await startBridge(yaml, { DATABASE_URL: url })];
    try {
      const post = (bridge: typeof a, code: number) => {
        const text = JSON.stringify(videoEvent('generated_video_failed', { error: { code, message: 'x' } }));
        return bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
      };
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post(i % 2 ? a : b, 50000)));
      expect(answers.every((x) => x.status === 200)).toBe(true);
      await waitFor(() => slack.posts.length >= 1, 15_000, 'the group message');
      await waitFor(async () => (await a.store.countDeliveries()).delivered === 1, 10_000, 'the group delivery recorded');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(slack.posts).toHaveLength(1);
      expect((slack.posts[0].payload as { text: string }).text).toContain('*60 × generated_video_failed*');

      const silence = await fetch(`${a.url}/admin/silences`, { method: 'POST' }).then((r) => r.status);
      expect(silence).toBe(404); // no admin token: the admin API is off; silences come from the store
      const added = await a.store.addSilence({ matchers: [{ field: 'data.error.code', op: '=', value: '18020' }], startsAt: Date.now(), endsAt: Date.now() + 3_600_000, comment: 'credits', createdBy: null }, Date.now());
      // both instances read the silences again within a second
      await waitFor(async () => {
        const answer = await post(b, 18020);
        const [delivery] = await b.store.listDeliveries({ eventPk: answer.body.id });
        return delivery?.status === 'silenced' && delivery.silenceId === added.id;
      }, 10_000, 'a failure silenced on the other instance');
    } finally {
      await a.close();
      await b.close();
      await slack.close();
    }
  }, 60_000);
});
