import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../support/store';
import { FakeJogg } from '../../src/sync/fake-jogg.server';
import { BridgeProcess } from '../support/bridge-process';
import { cli, cliSync, ROOT } from '../support/cli';
import { waitFor } from '../support/wait';

const { freePort } = require('../../scripts/free-port') as { freePort: () => Promise<number> };

const SECRET = 'first-hour-secret';

/** A config whose Slack sink needs SLACK_WEBHOOK_URL, which these tests never set; the store is under $FIRST_HOUR_DIR. */
function slackConfig(dir: string, server = ''): string {
  const file = join(dir, `bridge-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `${server}
store: { path: "\${FIRST_HOUR_DIR}/bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET:-}"] }
sinks:
  file: { type: file, path: "${dir}/events.jsonl" }
  slack: { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
routes:
  - { name: all, match: { events: ["*"] }, to: [file, slack] }
`);
  return file;
}

describe('the CLI in a new user’s first hour', () => {
  let dir: string;
  const env = (): Record<string, string> => ({ JOGG_WEBHOOK_SECRET: SECRET });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-first-hour-'));
    delete process.env.SLACK_WEBHOOK_URL;
    process.env.FIRST_HOUR_DIR = dir; // every child process (bridge, CLI) inherits it
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], extra: Record<string, string> = {}) => cliSync(args, { ...env(), ...extra });

  describe('check --json', () => {
    it('prints the problems as JSON on stdout and exits 1, with a did-you-mean for a misspelt key', () => {
      const bad = join(dir, 'typo.yaml');
      writeFileSync(bad, 'sinks:\n  out: { type: file, path: ./x }\nroutes:\n  - name: a\n    match: { events: ["*"] }\n    to: [out]\n    contine: false\n');
      const result = run(['check', '--json', '--config', bad]);
      expect([result.status, result.stderr]).toEqual([1, '']);
      expect(JSON.parse(result.stdout)).toEqual({
        valid: false,
        file: bad,
        problems: [{ file: bad, line: 7, column: 5, path: 'routes[0].contine', message: 'unknown key "contine" (did you mean "continue"?)' }],
      });
    });

    it('reports a YAML syntax error and a missing file the same way', () => {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'routes:\n  - name: a\n    to:\n      - out\n      oops\n');
      const syntax = run(['check', '--json', '--config', broken]);
      expect(syntax.status).toBe(1);
      const parsed = JSON.parse(syntax.stdout);
      expect(parsed).toMatchObject({ valid: false, file: broken });
      expect(parsed.problems[0]).toEqual({ file: broken, line: 5, column: expect.any(Number), path: '', message: expect.any(String) });

      const missing = run(['check', '--json', '--config', join(dir, 'nope.yaml')]);
      expect(missing.status).toBe(1);
      expect(JSON.parse(missing.stdout)).toEqual({
        valid: false,
        file: join(dir, 'nope.yaml'),
        problems: [{ file: join(dir, 'nope.yaml'), line: null, column: null, path: '', message: 'cannot read: no such file (ENOENT)' }],
      });
    });

    it('says valid with exit 0 for a valid file', () => {
      const result = run(['check', '--json', '--config', slackConfig(dir)], { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x' });
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, routes: [{ name: 'all' }] });
    });
  });

  it('shows a YAML syntax error with file:line:col, the offending line and a caret under the column', () => {
    const broken = join(dir, 'caret.yaml');
    writeFileSync(broken, 'server:\n  port: 3000\n   host: x\n');
    const result = run(['check', '--config', broken]);
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    const [, line, col] = new RegExp(`^  ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)  \\S`).exec(lines[1])!;
    expect(lines[2]).toBe(`      ${['server:', '  port: 3000', '   host: x'][Number(line) - 1]}`);
    expect(lines[3]).toBe(`      ${' '.repeat(Number(col) - 1)}^`);
  });

  describe('commands that only read the store', () => {
    let config: string;
    let deliveryId: number;
    beforeAll(async () => {
      config = slackConfig(dir);
      // one event whose Slack delivery died once, as the bridge would have left it
      const store = await openSqlite(join(dir, 'bridge.db'), { owner: true });
      const { id } = await store.ingest({
        dedupeKey: 'k1', event: 'generated_video_failed', timestamp: Math.floor(Date.now() / 1000), endpoint: null,
        receivedAt: Date.now(), body: '{"event":"generated_video_failed","timestamp":1,"data":{}}', deliveries: [{ route: 'all', sink: 'slack' }],
      });
      const [claim] = await store.claimDue('slack', 1, Date.now(), 60_000);
      await store.settle({ delivery: claim, startedAt: Date.now(), finishedAt: Date.now(), result: { status: 'dead', error: 'HTTP 404' } });
      deliveryId = claim.id;
      expect(claim.eventPk).toBe(id);
      await store.close();
    });

    it('check still needs every variable the config uses', () => {
      const result = run(['check', '--config', config]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('environment variable SLACK_WEBHOOK_URL is not set');
    });

    it.each([
      [['events', 'list'], 'generated_video_failed'],
      [['events', 'show', '1'], 'generated_video_failed'],
      [['deliveries', 'list'], 'HTTP 404'],
      [['deliveries', 'show', '1'], 'HTTP 404'],
    ])('%j works without the sink secrets', (args, shown) => {
      const result = run([...args, '--config', config]);
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toContain(shown);
    });

    it('replay works without them too, and afterwards the attempt count agrees with the attempts listed', async () => {
      const replay = run(['replay', String(deliveryId), '--config', config]);
      expect([replay.status, replay.stderr, replay.stdout]).toEqual([0, '', expect.stringMatching(/^replayed 1 delivery/)]);
      // the bridge's next attempt succeeds
      const store = await openSqlite(join(dir, 'bridge.db'), { owner: true });
      const [claim] = await store.claimDue('slack', 1, Date.now(), 60_000);
      await store.settle({ delivery: claim, startedAt: Date.now(), finishedAt: Date.now(), result: { status: 'delivered' } });
      await store.close();

      const json = JSON.parse(run(['deliveries', 'show', String(deliveryId), '--json', '--config', config]).stdout);
      expect(json.history.map((a: { outcome: string }) => a.outcome)).toEqual(['dead', 'delivered']);
      expect(json.attempts).toBe(2);
      const text = run(['deliveries', 'show', String(deliveryId), '--config', config]).stdout.split('\n');
      const attemptsColumn = text[0].indexOf('ATTEMPTS');
      expect(text[1].slice(attemptsColumn).split(/\s+/)[0]).toBe('2');
      const listed = JSON.parse(run(['deliveries', 'list', '--json', '--config', config]).stdout);
      expect(listed.find((d: { id: number }) => d.id === deliveryId).attempts).toBe(2);
    });

    it('replay fails, saying why, for an id that does not exist or a delivery that is not dead or delivered', () => {
      const missing = run(['replay', '999999', '--config', config]);
      expect([missing.status, missing.stdout, missing.stderr]).toEqual([1, 'replayed 0 deliveries\n', 'jogg-bridge: delivery 999999: no such delivery\n']);
    });
  });

  describe('trigger', () => {
    let bridge: BridgeProcess;
    let port: number;
    beforeAll(async () => {
      bridge = await BridgeProcess.start(slackConfig(dir), { SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/slack', JOGG_WEBHOOK_SECRET: SECRET });
      port = Number(new URL(bridge.url).port);
    });
    afterAll(() => bridge.stop());

    it('sends to server.port from the config (0.0.0.0 becomes 127.0.0.1)', async () => {
      const config = slackConfig(dir, `server: { host: 0.0.0.0, port: ${port} }`);
      const result = await cli(['trigger', 'generated_video_failed', '--config', config], env());
      expect([result.status, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/webhooks/jogg generated_video_failed → 200\\n`));
    });

    it('takes PORT over the config, as the bridge does', async () => {
      const config = slackConfig(dir, 'server: { port: 1 }');
      const result = await cli(['trigger', 'generated_video_failed', '--config', config], { ...env(), PORT: String(port) });
      expect(result.stdout).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/webhooks/jogg generated_video_failed → 200\\n`));
    });

    it('says which URL refused the connection and how to change it', async () => {
      const closed = await freePort();
      const config = slackConfig(dir, `server: { port: ${closed} }`);
      const result = await cli(['trigger', 'generated_video_failed', '--config', config], env());
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `jogg-bridge: cannot reach http://127.0.0.1:${closed}/webhooks/jogg: connection refused; is the bridge running? `
        + 'start it with npm start, or pass --url (the URL comes from server.port in the config, or PORT)\n',
      );
      const explicit = await cli(['trigger', 'generated_video_failed', '--url', `http://127.0.0.1:${closed}/x`, '--config', config], env());
      expect(explicit.stderr).toBe(`jogg-bridge: cannot reach http://127.0.0.1:${closed}/x: connection refused; is the bridge running? start it with npm start, or pass --url\n`);
    });

    it('sends an event JoggAI does not send as given, with a note that names a close known one', async () => {
      const typo = await cli(['trigger', 'generated_vidoe_failed', '--url', `${bridge.url}/webhooks/jogg`], env());
      expect([typo.status, typo.stderr]).toEqual([0, 'note: "generated_vidoe_failed" is not one of the 22 JoggAI events (did you mean "generated_video_failed"?); sent as given\n']);
      expect(typo.stdout).toMatch(/generated_vidoe_failed → 200\n/);
      const other = await cli(['trigger', 'crm_sync_done', '--url', `${bridge.url}/webhooks/jogg`], env());
      expect([other.status, other.stderr]).toEqual([0, 'note: "crm_sync_done" is not one of the 22 JoggAI events; sent as given\n']);
    });

    it('sends a fixture as a new event each time (fresh id and time), and refuses to send it as another kind of event', async () => {
      const fixture = join(ROOT, 'test', 'fixtures', 'jogg', 'generated_video_success.json');
      const url = `${bridge.url}/webhooks/jogg`;
      const sent = [];
      for (let i = 0; i < 2; i++) {
        const run = await cli(['trigger', 'generated_video_success', '--fixture', fixture, '--url', url, '--json'], env());
        expect([run.status, run.stderr]).toEqual([0, '']);
        sent.push(JSON.parse(run.stdout));
      }
      expect(sent.map((s) => s.response.status)).toEqual(['accepted', 'accepted']); // not a duplicate the second time
      expect(sent[0].request.event_id).not.toBe(sent[1].request.event_id);
      expect(sent[0].request.event_id).toMatch(/^[0-9a-f]{32}$/);
      const other = await cli(['trigger', 'generated_video_failed', '--fixture', fixture, '--url', url], env());
      expect([other.status, other.stderr]).toEqual([1, `jogg-bridge: ${fixture} is a generated_video_success event, not generated_video_failed: name its event, or edit the fixture\n`]);
    });

    it('refuses a fixture nested deeper than the bridge accepts, with a one-line reason', async () => {
      const deep = join(dir, 'deep.json');
      writeFileSync(deep, `{"event":"x_failed","timestamp":1,"data":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      const result = await cli(['trigger', 'x_failed', '--fixture', deep, '--url', `${bridge.url}/webhooks/jogg`], env());
      expect([result.status, result.stderr]).toEqual([1, `jogg-bridge: ${deep}: nested deeper than 32 levels (the bridge refuses such bodies)\n`]);
    });
  });

  it.each([
    [[]], [['serve']], [['check']], [['routes', 'test']], [['trigger']], [['events', 'list']], [['events', 'show']],
    [['deliveries', 'list']], [['deliveries', 'show']], [['replay']], [['schema']], [['sync', 'plan']], [['sync', 'apply']],
    [['sync', 'rotate']], [['fake-jogg']],
  ])('%j --help names each default once', (args) => {
    const result = run([...args, '--help']);
    expect(result.status).toBe(0);
    // one option per entry (an option's description may wrap onto further lines)
    const options = result.stdout.replace(/\n {20,}/g, ' ').split('\n').filter((line) => /^\s+-/.test(line));
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect(option.match(/\(default:/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it.each([
    'serve', 'check', 'routes test', 'trigger', 'events list', 'events show', 'deliveries list', 'deliveries show', 'replay', 'schema',
    'sync plan', 'sync apply', 'sync rotate', 'fake-jogg', 'silence add', 'silence list', 'silence expire', 'groups list', 'groups show',
  ])('%s --help ends with an example', (command) => {
    const result = run([...command.split(' '), '--help']);
    expect([result.status, result.stdout]).toEqual([0, expect.stringMatching(new RegExp(`\\nExamples?:\\n {2}(\\S+=\\S+ )*jogg-bridge ${command}[ \\n]`))]);
  });

  it('fake-jogg prints the address it really delivered to; right after a CLI sync apply the running bridge accepts the new secret', async () => {
    const joggPort = await freePort();
    const config = join(dir, 'sync.yaml');
    writeFileSync(config, `
store: { path: "${dir}/sync.db" }
jogg:
  apiKey: k
  apiUrl: http://127.0.0.1:${joggPort}
  publicUrl: https://bridge.example.com
  endpoints: [{ name: videos, events: [generated_video_failed] }]
sinks: { file: { type: file, path: "${dir}/sync.jsonl" } }
routes: [{ name: all, match: { events: ["*"] }, to: [file] }]
`);
    const bridge = await BridgeProcess.start(config);
    const fake = spawn(process.execPath, [join(ROOT, 'bin', 'jogg-bridge.js'), 'fake-jogg', '--port', String(joggPort), '--api-key', 'k', '--deliver-to', bridge.url], { cwd: ROOT });
    let output = '';
    fake.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    fake.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => fake.on('exit', resolve));
    try {
      await waitFor(() => output.includes('JoggAI stand-in at'), 10_000, 'fake-jogg to start');
      const apply = await cli(['sync', 'apply', '--config', config]);
      expect([apply.status, apply.stderr]).toEqual([0, '']);
      fake.stdin.write('generated_video_failed\n');
      const line = await waitFor(() => /^generated_video_failed → .*$/m.exec(output)?.[0], 10_000, 'fake-jogg to send the event');
      expect(line).toBe(`generated_video_failed → ${bridge.url}/webhooks/jogg/videos: 200`);
      // several names in one write (a paste): each is sent on its own
      fake.stdin.write('generated_image_failed\ngenerated_video_failed\n');
      await waitFor(() => output.includes('generated_image_failed: no enabled endpoint subscribes to it'), 10_000, 'the pasted first name');
      await waitFor(() => output.match(/^generated_video_failed → .*: 200$/gm)?.length === 2, 10_000, 'the pasted second name');
      fake.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (fake.exitCode === null) fake.kill('SIGKILL');
      await bridge.stop();
    }
  }, 60_000);
});
