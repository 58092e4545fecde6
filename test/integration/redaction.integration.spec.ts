import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event.store';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { joggSignature, signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { SmtpTestServer } from '../support/smtp';
import { sleep, waitFor } from '../support/wait';

const SECRETS = {
  webhook: 'whsec_live_5f2a9c1e7b3d',
  signing: `whsec_${Buffer.from('signing-key-0123456789abcdef').toString('base64')}`,
  bearer: 'tok_live_9b8a7c6d5e4f',
  smtpPassword: 'smtp-pa55-w0rd',
};

describe('no secret ever reaches a log line', () => {
  it('captures all output of a full run (JSON logs) and finds none of the secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-redact-'));
    const slack = await SlackStandIn.start();
    const smtp = await SmtpTestServer.start();
    // A receiver that echoes the request's credentials in its error body, as some servers do.
    const echo = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end(`denied for ${req.headers.authorization} / ${req.headers['webhook-signature']}`));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const slackUrl = slack.webhook('no-service');
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
retry: { attempts: 2, backoff: { initial: 50ms, max: 50ms } }
delivery: { pollInterval: 100ms }
sinks:
  echo:
    type: http
    url: "http://127.0.0.1:${(echo.address() as AddressInfo).port}/hook"
    headers: { authorization: "Bearer ${SECRETS.bearer}" }
    sign: { secret: "${SECRETS.signing}" }
  alerts: { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
  mail: { type: email, smtp: "\${SMTP_URL}", from: a@example.com, to: [ops@example.com], tls: { allowInsecureAuth: true } }
routes: [{ name: all, match: { events: ["*"] }, to: [echo, alerts, mail] }]
`);
    const bridge = await BridgeProcess.start(config, {
      NODE_ENV: 'production',
      JOGG_WEBHOOK_SECRET: SECRETS.webhook,
      SLACK_WEBHOOK_URL: slackUrl,
      SMTP_URL: `smtp://user:${SECRETS.smtpPassword}@127.0.0.1:${smtp.port}`,
    });
    const signatures: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const body = JSON.stringify(videoEvent('generated_video_failed'));
        const headers = signedHeaders(body, SECRETS.webhook);
        signatures.push(headers['x-webhook-signature']);
        expect((await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers })).status).toBe(200);
        const forged = joggSignature(body, 'guess');
        signatures.push(forged);
        await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': forged } });
      }
      await waitFor(() => (bridge.output.match(/dead-lettered/g) ?? []).length >= 15, 20_000, 'every delivery dead-lettered and logged');
      await sleep(200);
      // the errors stored with deliveries (shown by `jogg-bridge deliveries`) are redacted too
      const store = new SqliteEventStore(join(dir, 'bridge.db'));
      const errors = (await store.listDeliveries({ limit: 100 })).map((d) => d.lastError ?? '').join('\n');
      await store.close();
      expect(errors).toContain('HTTP 500: denied for [redacted]');
      for (const secret of Object.values(SECRETS)) expect(errors).not.toContain(secret);
    } finally {
      expect(await bridge.stop()).toBe(0);
      await slack.close();
      await smtp.close();
      echo.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const output = bridge.output;
    expect(output).toContain('"level":"warn"');
    expect(output).toContain('HTTP 500: denied for [redacted] / v1,[redacted-signature]');
    for (const secret of [...Object.values(SECRETS), slackUrl, new URL(slackUrl).pathname, ...signatures]) {
      expect([secret, output.includes(secret)]).toEqual([secret, false]);
    }
  });
});
