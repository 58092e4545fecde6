import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { cli, cliSync } from '../support/cli';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'templates-secret-0123456789';
jest.setTimeout(60_000);

describe('templates in the built bridge (Liquid)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`check` refuses the old section syntax at its line and column, saying what to write instead', () => {
    const file = join(dir, 'old.yaml');
    writeFileSync(file, [
      'jogg: { secrets: ["${JOGG_WEBHOOK_SECRET}"] }',
      'sinks:',
      '  out: { type: console }',
      '  ops: { type: slack, url: "http://127.0.0.1:9/slack" }',
      'routes:',
      '  - { name: all, match: { events: ["*"] }, to: [out], console: { format: "{{ event }}" } }',
      '  - name: failures',
      '    match: { events: ["*_failed"] }',
      '    to: [ops]',
      '    slack:',
      '      text: "{{#error_message}}:x: {{ error_message }}{{/error_message}}"',
      '      blocks:',
      '        - { type: section, text: { type: mrkdwn, text: "{{! a note }}{{ event }}" } }',
      '',
    ].join('\n'));
    const run = cliSync(['check', '--config', file], { JOGG_WEBHOOK_SECRET: SECRET });
    expect(run.status).not.toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).toContain(
      `${file}:11:13  routes[1].slack.text: "{{#error_message}}" is the old section syntax: write {% if error_message %}…{% endif %}` +
        ' (for a list: {% for item in error_message %}…{{ item }}…{% endfor %}) (at character 1)',
    );
    expect(output).toMatch(/old\.yaml:13:\d+ +routes\[1\]\.slack\.blocks\[0\]\.text\.text: "\{\{! a note \}\}" is the old comment syntax: write \{% comment %\} a note \{% endcomment %\}/);
  });

  describe('serving', () => {
    let receiver: Receiver;
    let bridge: BridgeProcess;
    const config = join(dir, 'bridge.yaml');

    beforeAll(async () => {
      receiver = await Receiver.start();
      writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
delivery: { pollInterval: 50ms }
retry: { attempts: 50, backoff: { initial: 100ms, max: 200ms } }
sinks:
  hook:
    type: http
    url: ${receiver.url}/hook
    body:
      text: "{% if error_message %}failed: {{ error_message }}{% else %}ok{% endif %}"
      notes: "{% for note in data.notes %}[{{ note }}]{% endfor %}"
  greedy:
    type: http
    url: ${receiver.url}/greedy
    headers: { content-type: text/plain }
    body: "{% for i in (1..50) %}{{ data.blob }}{% endfor %}"
routes:
  - { name: hook, match: { events: ["generated_video_failed"] }, to: [hook] }
  - { name: greedy, match: { events: ["generated_video_success"] }, to: [greedy] }
`);
      bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET });
    });
    afterAll(async () => {
      await bridge.stop();
      await receiver.close();
    });

    async function post(event: object): Promise<void> {
      const body = JSON.stringify(event);
      const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, SECRET) });
      expect(res.status).toBe(200);
    }

    it('payload text that looks like Liquid stays text: it is never parsed as a template', async () => {
      const hostile = '{{ event }} {% for i in (1..1000000000) %}x{% endfor %} {% include "/etc/passwd" %}';
      await post(videoEvent('generated_video_failed', { error: hostile, notes: ['{{ data }}', '{% raw %}'] }));
      await waitFor(() => receiver.requests.length === 1, 10_000, 'the delivery');
      expect(JSON.parse(receiver.requests[0].body)).toEqual({ text: `failed: ${hostile}`, notes: '[{{ data }}][{% raw %}]' });
    });

    it('a template whose output would pass the limit fails that delivery for good at once, not after retries', async () => {
      await post(videoEvent('generated_video_success', { blob: 'x'.repeat(100_000) }));
      await bridge.waitForOutput(/to greedy dead-lettered: template cannot render this event/, 20_000);
      const listed = JSON.parse((await cli(['deliveries', 'list', '--json', '--config', config], { JOGG_WEBHOOK_SECRET: SECRET })).stdout);
      const dead = listed.find((d: { sink: string }) => d.sink === 'greedy');
      expect(dead.status).toBe('dead');
      const shown = JSON.parse((await cli(['deliveries', 'show', String(dead.id), '--json', '--config', config], { JOGG_WEBHOOK_SECRET: SECRET })).stdout);
      expect(shown.attempts).toBe(1);
      expect(shown.history[0].error).toContain('template cannot render this event: output limit exceeded');
      expect(receiver.requests.filter((r) => r.url.startsWith('/greedy'))).toEqual([]);
    });
  });
});
