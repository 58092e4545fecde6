import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';

/** `routes test` shows the alerting decisions (grouping, silence, active time) for a sample event, sending nothing. */
describe('routes test: alerting decisions', () => {
  let dir: string;
  let config: string;
  const hour = (new Date().getUTCHours() + 12) % 24; // an interval that is surely closed now
  const closed = `${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:30`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-routes-alerting-'));
    config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T0/B0/ok" }
  hook: { type: http, url: "http://127.0.0.1:9/x" }
  managers: { type: slack, url: "http://127.0.0.1:9/services/T0/B0/daily", digest: { every: day, at: "09:00", tz: Europe/Berlin } }
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    group: { by: [event, data.error.code], wait: 30s, interval: 5m, max: 20 }
  - name: night
    match: { events: ["*_failed"] }
    to: [hook]
    active_time: { weekdays: [mon-sun], times: ["${closed}"], tz: UTC }
  - name: summary
    match: { events: ["*"] }
    to: [managers]
`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const routesTest = async (code: number) => {
    const run = await cli(['routes', 'test', '--config', config, '--event', 'generated_video_failed', '--data', JSON.stringify({ video_id: 'v1', error: { code, message: 'x' } })]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return run.stdout;
  };

  it('shows grouping and the hold outside the active time, then a silence that applies', async () => {
    const before = await routesTest(50000);
    expect(before).toContain('failures → alerts (slack)\n  [grouped by event=generated_video_failed, data.error.code=50000: the first waits 30 s, then one message at most every 300 s, listing 20]');
    expect(before).toMatch(new RegExp(`night → hook \\(http\\)\\n  \\[outside the route's active time: held until \\d{4}-\\d\\d-\\d\\dT${String(hour).padStart(2, '0')}:00:00.000Z\\]`));
    // 09:00 in Berlin is 08:00 UTC in winter, 07:00 in summer
    expect(before).toMatch(/summary → managers \(slack\)\n  \[collected for the sink's daily digest, sent \d{4}-\d\d-\d\dT0[78]:00:00.000Z \(not a message of its own\)\]/);

    const added = await cli(['silence', 'add', '--config', config, '--match', 'data.error.code=18020', '--match', 'route=failures', '--for', '1h', '--comment', 'credits topped up', '--json']);
    expect(added.status).toBe(0);
    const id = JSON.parse(added.stdout).id;
    const text = await cli(['silence', 'add', '--config', config, '--match', 'data.error.code=1', '--for', '1m', '--comment', 'no bridge runs']);
    expect([text.status, text.stdout.split('\n')[1]]).toEqual([0, expect.stringMatching(/^no bridge serves \S+ now: the next one to start applies it$/)]);
    const silenced = await routesTest(18020);
    expect(silenced).toMatch(new RegExp(`failures → alerts \\(slack\\)\\n  \\[silenced by silence ${id} \\(data.error.code=18020 route=failures\\) until \\S+: credits topped up — recorded, not sent\\]`));
    expect(silenced).toContain('night → hook (http)\n  [outside the route');
    expect(await routesTest(50000)).toContain('[grouped by event=generated_video_failed, data.error.code=50000');

    const json = JSON.parse((await cli(['routes', 'test', '--config', config, '--json', '--event', 'generated_video_failed', '--data', '{"error":{"code":18020}}'])).stdout);
    expect(json.routes[0].deliveries[0].alerting).toMatchObject({ silenced: { id, comment: 'credits topped up' } });
  }, 30_000);
});
