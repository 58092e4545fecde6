import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../support/store';
import { BridgeProcess } from '../support/bridge-process';
import { cli, cliSync, ROOT } from '../support/cli';
import { FIXTURE_DIR } from '../support/fixtures';
import { expectGolden } from '../support/golden';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const CONFIG = join(ROOT, 'test', 'fixtures', 'cli-bridge.yaml');
const GOLDEN = join(ROOT, 'test', 'golden');
const SECRET = 'cli-test-secret';


describe('jogg-bridge CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-cli-'));
    env = { DIR: dir, BRIDGE_CONFIG: CONFIG, JOGG_WEBHOOK_SECRET: SECRET };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('check', () => {
    it('says a valid config is valid and exits 0', () => {
      const run = cliSync(['check'], env);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      // the fixture retries once (attempts: 1) to dead-letter quickly: check says what that costs in an outage
      expect(run.stdout).toBe(`${CONFIG}: valid (3 sinks, 3 routes, 1 webhook secret)\n`
        + `warning: ${CONFIG}:6:20  retry.attempts: 1 attempts for every sink without its own retry are not more than delivery.circuit.failures (5): `
        + 'a delivery can give up (a dead letter) before its sink counts as down, so an outage with little traffic costs dead letters; allow more attempts or fewer failures\n');
      expect(JSON.parse(cliSync(['check', '--json'], env).stdout)).toMatchObject({ valid: true, routes: [{ name: 'everything-to-file' }, { name: 'failures' }, { name: 'long-videos' }] });
    });

    it('lists every problem with file:line:col and path, and exits 1', () => {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'sinks:\n  out: { type: file }\nroutes:\n  - name: a\n    match: { events: ["*"] }\n    to: [outt]\n');
      const run = cliSync(['check', '--config', bad], env);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe([
        `jogg-bridge: invalid config ${bad} (2 problems):`,
        `  ${bad}:2:8  sinks.out.path: path must be a string`,
        `  ${bad}:6:10  routes[0].to[0]: unknown sink "outt" (did you mean "out"?)`,
        '',
      ].join('\n'));
    });
  });

  describe('routes test', () => {
    it.each(['generated_video_failed', 'generated_image_failed', 'generated_avatar_video_success', 'observed_generated_avatar_video_success'])(
      'matches the golden output for %s', (name) => {
        const run = cliSync(['routes', 'test', join(FIXTURE_DIR, `${name}.json`)], env);
        expect(run.status).toBe(0);
        expectGolden(GOLDEN, `routes-test-${name}.txt`, run.stdout);
      },
    );

    it('prints JSON for scripts, with each rendered message', () => {
      const run = cliSync(['routes', 'test', '--event', 'generated_motion_failed', '--data', '{"motion_id":"m1","error":"no \\"motion\\""}', '--json'], env);
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result.routes.map((r: { route: string }) => r.route)).toEqual(['everything-to-file', 'failures']);
      const hook = result.routes[1].deliveries.find((d: { sink: string }) => d.sink === 'ops-hook');
      expect(hook.type).toBe('http');
      expect(JSON.parse(hook.message.body)).toMatchObject({ text: 'no "motion"', id: 'm1' });
      expect(hook.message.headers).toMatchObject({ 'x-team': 'ops', 'x-jogg-event': 'generated_motion_failed' });
    });

    it('exits 0 when --expect names the matched routes, 1 with the difference otherwise', () => {
      const fixture = join(FIXTURE_DIR, 'generated_video_failed.json');
      expect(cliSync(['routes', 'test', fixture, '--expect', 'failures,everything-to-file'], env).status).toBe(0);
      const run = cliSync(['routes', 'test', fixture, '--expect', 'failures'], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('jogg-bridge: expected routes [failures] but the event matches [everything-to-file, failures]\n');
      const typo = cliSync(['routes', 'test', fixture, '--expect', 'failures,everything-to-fil'], env);
      expect([typo.status, typo.stderr]).toEqual([1, 'jogg-bridge: expected routes [failures, everything-to-fil] but the event matches '
        + '[everything-to-file, failures]; the config has no route "everything-to-fil" (did you mean "everything-to-file"?)\n']);
    });

    it('says when nothing matches', () => {
      const run = cliSync(['routes', 'test', '--event', 'generated_script_success', '--config', join(ROOT, 'config', 'examples', 'http.yaml')], env);
      expect(run.stdout).toContain('matches 1 route(s): everything-to-crm');
    });

    it.each([
      [['routes', 'test'], 'jogg-bridge: give a fixture file or --event <name>\n'],
      [['routes', 'test', 'nope.json'], 'jogg-bridge: cannot read nope.json: ENOENT\n'],
      [['routes', 'test', '--event', 'x', '--data', '{oops'], 'jogg-bridge: --data: body is not valid JSON\n'],
      [['routes', 'test', '--event', 'x', '--data', '[]'], 'jogg-bridge: --data: "data" must be an object\n'],
    ])('refuses %j with one clear line', (args, message) => {
      const run = cliSync(args, env);
      expect([run.status, run.stderr]).toEqual([1, message]);
    });
  });

  describe('usage', () => {
    it('refuses unknown flags', () => {
      const run = cliSync(['events', 'list', '--colour'], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^jogg-bridge: unknown option '--colour'/);
    });

    it.each(['events', 'deliveries', 'routes', 'sync', 'groups', 'silence'])('refuses an unknown subcommand of %s and exits 1', (command) => {
      const run = cliSync([command, 'frob'], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`unknown command "${command} frob"`);
    });

    it.each(['check', 'routes test', 'trigger', 'events list', 'events show', 'deliveries list', 'deliveries show', 'replay', 'serve'])(
      '%s --help shows an example', (command) => {
        const run = cliSync([...command.split(' '), '--help'], env);
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/Examples?:\n {2}(JOGG_WEBHOOK_SECRET=\S+ )?jogg-bridge /);
      },
    );

    it('prints a stack trace only with --verbose', () => {
      expect(cliSync(['events', 'show', '12345'], env).stderr).toBe('jogg-bridge: no event 12345\n');
      expect(cliSync(['events', 'show', '12345', '--verbose'], env).stderr).toMatch(/no event 12345\n\s+at /);
    });
  });

  describe('with a running bridge', () => {
    let bridge: BridgeProcess;
    let receiver: Receiver;
    let serviceEnv: Record<string, string>;

    beforeAll(async () => {
      receiver = await Receiver.start();
      serviceEnv = { ...env, HOOK_URL: `${receiver.url}/ops` };
      bridge = await BridgeProcess.start(CONFIG, serviceEnv);
      serviceEnv.URL = `${bridge.url}/webhooks/jogg`;
    });
    afterAll(async () => {
      await bridge.stop();
      await receiver.close();
    });

    it('trigger sends a signed event the bridge accepts, and a wrong secret gets 401 and exit 1', async () => {
      const ok = await cli(['trigger', 'generated_video_failed', '--url', serviceEnv.URL, '--set', 'data.video_id=v-cli-1', '--set', 'data.error.code=42'], serviceEnv);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/^POST .* generated_video_failed → 200\n\{"status":"accepted","id":\d+,"deliveries":3\}/);
      const id = Number(/"id":(\d+)/.exec(ok.stdout)![1]);
      const store = await openSqlite(join(dir, 'bridge.db'));
      try {
        const body = JSON.parse((await store.getEvent(id))!.body);
        expect(body).toMatchObject({ event: 'generated_video_failed', event_id: expect.stringMatching(/^[0-9a-f]{32}$/), data: { video_id: 'v-cli-1', error: { code: 42 } } });
      } finally {
        await store.close();
      }
      const bad = await cli(['trigger', 'generated_video_failed', '--url', serviceEnv.URL, '--secret', 'wrong'], serviceEnv);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain('→ 401');
    });

    it('trigger sends every catalogue event in its documented shape', async () => {
      for (const event of ['generated_script_success', 'generated_image_failed', 'create_avatar_success']) {
        const run = await cli(['trigger', event, '--url', serviceEnv.URL, '--json'], serviceEnv);
        expect([event, run.status]).toEqual([event, 0]);
        expect(JSON.parse(run.stdout).status).toBe(200);
      }
    });

    it('trigger reports an unreachable bridge in one line', async () => {
      const closed = await Receiver.start();
      await closed.close();
      const url = `${closed.url}/webhooks/jogg`;
      const run = await cli(['trigger', 'generated_video_failed', '--url', url], serviceEnv);
      expect([run.status, run.stderr]).toEqual([1, `jogg-bridge: cannot reach ${url}: connection refused; is the bridge running? start it with npm start, or pass --url\n`]);
    });

    it('events and deliveries read the store while the bridge runs; replay re-queues dead letters', async () => {
      receiver.always({ status: 400, body: 'rejected' });
      const sent = await cli(['trigger', 'generated_image_failed', '--url', serviceEnv.URL, '--set', 'data.photo_id=p-replay'], serviceEnv);
      const eventId = Number(/"id":(\d+)/.exec(sent.stdout)![1]);
      const dead = await waitFor(async () => {
        const list = JSON.parse((await cli(['deliveries', 'list', '--status', 'dead', '--sink', 'ops-hook', '--json'], serviceEnv)).stdout);
        return list.find((d: { eventPk: number }) => d.eventPk === eventId);
      }, 10_000, 'a dead letter');
      expect(dead.lastError).toBe('HTTP 400: rejected');

      const events = await cli(['events', 'list', '--since', '1h'], serviceEnv);
      expect(events.stdout.split('\n')[0]).toMatch(/^ID\s+RECEIVED\s+EVENT\s+EVENT_ID\s+ENDPOINT\s+DELIVERIES$/);
      expect(events.stdout).toMatch(new RegExp(`^${eventId}\\s+\\S+\\s+generated_image_failed\\s+-\\s+-\\s+3$`, 'm'));
      // a full page says there may be more; a page with room does not
      expect((await cli(['events', 'list', '-n', '1'], serviceEnv)).stdout).toMatch(/\(the newest 1 shown; there may be more: --limit <n> for more, --since to narrow\)\n$/);
      expect(events.stdout).not.toContain('there may be more');
      // a glob over JoggAI's event names, as in the console
      await cli(['trigger', 'generated_video_success', '--url', serviceEnv.URL], serviceEnv);
      const failed = JSON.parse((await cli(['events', 'list', '--event', '*_failed', '--json'], serviceEnv)).stdout) as { id: number; event: string }[];
      expect(failed.map((e) => e.id)).toContain(eventId);
      expect(failed.every((e) => e.event.endsWith('_failed'))).toBe(true);
      expect(failed.map((e) => e.id)).toEqual([...failed.map((e) => e.id)].sort((a, b) => b - a));
      const none = await cli(['events', 'list', '--event', 'generated_nothing_*'], serviceEnv);
      expect([none.status, none.stderr]).toEqual([1, "jogg-bridge: --event generated_nothing_* matches none of JoggAI's event names\n"]);
      const shown = await cli(['events', 'show', String(eventId)], serviceEnv);
      expect(shown.stdout).toContain('"photo_id": "p-replay"');
      expect(shown.stdout).toMatch(/ops-hook\s+dead\s+1/);
      const attempts = await cli(['deliveries', 'show', String(dead.id)], serviceEnv);
      expect(attempts.stdout).toMatch(/^1\s+\S+\s+\d+\s+dead\s+HTTP 400: rejected$/m);

      receiver.always({ status: 200, body: 'ok' });
      const replay = await cli(['replay', '--dead', '--sink', 'ops-hook', '--since', '1h'], serviceEnv);
      expect(replay.stdout).toMatch(/^replayed [1-9]\d* deliver(y|ies)/);
      await waitFor(async () => {
        const d = JSON.parse((await cli(['deliveries', 'show', String(dead.id), '--json'], serviceEnv)).stdout);
        return d.status === 'delivered';
      }, 10_000, 'the replayed delivery to be delivered');
      expect(receiver.requests.filter((r) => r.body.includes('p-replay'))).toHaveLength(2);
      const byId = await cli(['replay', String(dead.id)], serviceEnv);
      expect(byId.stdout).toMatch(/^replayed 1 delivery/);
    });

    it('replay refuses a mix of ids and --dead', async () => {
      const run = await cli(['replay', '1', '--dead'], serviceEnv);
      expect([run.status, run.stderr]).toEqual([1, 'jogg-bridge: give delivery ids or --dead, not both\n']);
    });
  });
});
