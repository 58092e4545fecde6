import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../support/store';
import { BridgeProcess } from '../support/bridge-process';
import { cli } from '../support/cli';
import { videoEvent } from '../support/fixtures';
import { joggSignature, signedHeaders } from '../support/signing';
import { SlackStandIn } from '../support/slack-standin';
import { SmtpTestServer } from '../support/smtp';
import { waitFor } from '../support/wait';

/** A bearer token with a quote and a backslash: JSON and URL encodings differ from the raw text. */
const TOKEN = 'tok"live\\9b8a7c6d';
const BASIC_PASSWORD = 'pa"ss-w0rd';
const SECRETS = {
  webhook: 'whsec_live_5f2a9c1e7b3d',
  oldWebhook: 'old"secret\\x7',
  signing: `whsec_${Buffer.from('signing-key-0123456789abcdef').toString('base64')}`,
  bearer: TOKEN,
  basic: BASIC_PASSWORD,
  smtpPassword: 'smtp-pa55-w0rd',
  adminToken: 'adm"in\\tok-4711',
};
/** Too short to be searched for in free text: hidden wherever the bridge knows where it stands. */
const SHORT = { header: 'Q7', webhook: 'z9' };

/** Every form a secret may take in text: raw, JSON-escaped (once, twice), URL-encoded, form-encoded, base64. */
function forms(secret: string): string[] {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  return [...new Set([
    secret, json(secret), json(json(secret)), encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'),
    new URLSearchParams([['', secret]]).toString().slice(1), Buffer.from(secret).toString('base64'),
  ])];
}

function expectNoSecret(where: string, text: string, secrets: string[]): void {
  for (const secret of secrets) {
    for (const form of forms(secret)) expect([where, form, text.includes(form)]).toEqual([where, form, false]);
  }
}

/** A receiver that echoes the credentials it was sent in its error bodies, as some servers do, in several encodings. */
function echoServer() {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      // the bridge keeps an error body's first 200 characters: this one cuts the token in two
      if (req.url === '/long') return res.writeHead(500).end(`${'.'.repeat(192)}${TOKEN} and more`);
      if (req.url === '/json') return res.writeHead(401).end(JSON.stringify({ error: `upstream rejected token ${auth}` }));
      if (req.url === '/encoded') {
        return res.writeHead(400).end(`token=${encodeURIComponent(TOKEN)}&form=${new URLSearchParams([['', TOKEN]]).toString().slice(1)}&b64=${Buffer.from(TOKEN).toString('base64')}`);
      }
      res.writeHead(500).end(`denied for ${auth} / ${req.headers['webhook-signature']}`);
    });
  });
}

describe('no secret ever reaches a log line, a stored error, an admin answer or CLI output', () => {
  it('runs the built bridge (JSON logs) with awkward secrets and a receiver that echoes them, and finds none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-redact-'));
    const slack = await SlackStandIn.start();
    const smtp = await SmtpTestServer.start();
    const echo = echoServer();
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const echoUrl = `127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const slackUrl = slack.webhook('no-service');
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}", '${SECRETS.oldWebhook}', "${SHORT.webhook}"] }
retry: { attempts: 2, backoff: { initial: 50ms, max: 50ms } }
# the circuit stays closed, so the failing sinks dead-letter (a sink that is down keeps its deliveries waiting)
delivery: { pollInterval: 100ms, circuit: { failures: 1000 } }
sinks:
  echo:
    type: http
    url: "http://${echoUrl}/hook"
    headers:
      authorization: 'Bearer ${TOKEN}'
      x-api-key: "${SHORT.header}"
    sign: { secret: "${SECRETS.signing}" }
  json:
    type: http
    url: "http://${echoUrl}/json"
    headers: { authorization: 'Bearer ${TOKEN}' }
    body: '{"text": "{{ error_message }}"}'
  encoded:
    type: http
    url: "http://${echoUrl}/encoded"
    headers: { authorization: 'Bearer ${TOKEN}' }
  long:
    type: http
    url: "http://${echoUrl}/long"
    headers: { authorization: 'Bearer ${TOKEN}' }
  basic:
    type: http
    url: "http://bridge:${encodeURIComponent(BASIC_PASSWORD)}@${echoUrl}/basic"
  alerts: { type: slack, url: "\${SLACK_WEBHOOK_URL}" }
  mail: { type: email, smtp: "\${SMTP_URL}", from: a@example.com, to: [ops@example.com], tls: { allowInsecureAuth: true } }
routes: [{ name: all, match: { events: ["*"] }, to: [echo, json, encoded, long, basic, alerts, mail] }]
`);
    const env = {
      NODE_ENV: 'production',
      JOGG_WEBHOOK_SECRET: SECRETS.webhook,
      SLACK_WEBHOOK_URL: slackUrl,
      SMTP_URL: `smtp://user:${SECRETS.smtpPassword}@127.0.0.1:${smtp.port}`,
      BRIDGE_ADMIN_TOKEN: SECRETS.adminToken,
    };
    const bridge = await BridgeProcess.start(config, env);
    const longSecrets = [...Object.values(SECRETS), slackUrl, new URL(slackUrl).pathname, `bridge:${BASIC_PASSWORD}`];
    const admin = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${bridge.url}/admin${path}`, { ...init, headers: { authorization: `Bearer ${SECRETS.adminToken}`, ...(init.headers ?? {}) } });
      const text = await res.text();
      return { status: res.status, text, body: JSON.parse(text) };
    };
    const signatures: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const body = JSON.stringify(videoEvent('generated_video_failed'));
        const headers = signedHeaders(body, SECRETS.webhook);
        signatures.push(headers['x-webhook-signature']);
        expect((await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers })).status).toBe(200);
        const forged = joggSignature(body, 'guess');
        signatures.push(forged);
        await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-webhook-signature': forged } });
      }
      const settled = await waitFor(async () => {
        const { body } = await admin('/deliveries?limit=1000');
        return body.length === 21 && body.every((d: { status: string }) => d.status === 'dead' || d.status === 'delivered') && body;
      }, 30_000, 'every delivery settled');

      // the store: last errors and every attempt's error
      const store = await openSqlite(join(dir, 'bridge.db'));
      const deliveries = await store.listDeliveries({ limit: 100 });
      const attempts = (await Promise.all(deliveries.map((d) => store.listAttempts(d.id)))).flat();
      await store.close();
      const stored = [...deliveries.map((d) => d.lastError ?? ''), ...attempts.map((a) => a.error ?? '')].join('\n');
      expect(stored).toContain('HTTP 500: denied for [redacted] / v1,[redacted-signature]');
      expect(stored).toContain('HTTP 401: {"error":"upstream rejected token [redacted]"}');
      expect(stored).toContain('HTTP 400: token=[redacted]&form=[redacted]&b64=[redacted]');
      expect(stored).toContain('HTTP 500: denied for Basic [redacted]');
      expect(stored).toContain(`HTTP 500: ${'.'.repeat(192)}[redacted]`);
      expect(stored).not.toContain(TOKEN.slice(0, 8));
      expectNoSecret('store', stored, longSecrets);

      // the admin API: deliveries, one delivery with its history, the dry run, the config
      expectNoSecret('/admin/deliveries', JSON.stringify(settled), longSecrets);
      const dead = deliveries.find((d) => d.sink === 'json')!;
      const one = await admin(`/deliveries/${dead.id}`);
      expect(one.body.history.length).toBeGreaterThan(0);
      expectNoSecret('/admin/deliveries/:id', one.text, longSecrets);

      const dryRun = await admin('/routes/test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(videoEvent('generated_video_failed')) });
      expect(dryRun.status).toBe(200);
      const echoMessage = dryRun.body.routes[0].deliveries.find((d: { sink: string }) => d.sink === 'echo').message;
      expect(echoMessage.headers).toMatchObject({ authorization: '[redacted]', 'x-api-key': '[redacted]' });
      expectNoSecret('/admin/routes/test', dryRun.text, longSecrets);

      const shown = await admin('/config');
      expect(shown.status).toBe(200);
      expect(shown.body.config.jogg.secrets).toEqual(['[redacted]', '[redacted]', '[redacted]']);
      expect(shown.body.config.sinks.echo.headers).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]' });
      expect(shown.body.config.sinks.echo.sign.secret).toBe('[redacted]');
      expect(shown.body.config.sinks.basic.url).toBe(`http://bridge:[redacted]@${echoUrl}/basic`);
      expect(shown.body.config.sinks.alerts.url).toBe('[redacted]');
      expectNoSecret('/admin/config', shown.text, longSecrets);
      expect(shown.text).not.toContain(`"${SHORT.header}"`);
      expect(shown.text).not.toContain(`"${SHORT.webhook}"`);

      // the CLI, reading the same store while the bridge runs
      for (const args of [['deliveries', 'show', String(dead.id)], ['deliveries', 'show', String(dead.id), '--json'], ['deliveries', 'list'], ['routes', 'test', '--event', 'generated_video_failed', '--json']]) {
        const run = await cli([...args, '--config', config], env);
        expect([args, run.status]).toEqual([args, 0]);
        expectNoSecret(`jogg-bridge ${args.join(' ')}`, run.stdout + run.stderr, longSecrets);
        if (args[3] === '--json' || args[0] === 'routes') expect(run.stdout).not.toContain(`"${SHORT.header}"`);
      }
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
    expect(output).toContain('upstream rejected token [redacted]');
    // the unsafe JSON string template of the "json" sink is warned about at start
    expect(output).toMatch(/sinks\.json\.body: this template produces JSON and puts \{\{ error_message \}\} inside a JSON string/);
    expect(output).toContain('2 configured secrets are shorter than 4 characters');
    expectNoSecret('log output', output, [...longSecrets, ...signatures]);
    expect(output).not.toContain(JSON.stringify(TOKEN).slice(1, 10)); // the start of the token cut at 200 characters
    expect(output).not.toContain(`"${SHORT.header}"`);
  });

  it('redacts the secrets a reload brings in, and logs the reloaded config\'s warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-redact-reload-'));
    const echo = echoServer();
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/json`;
    const config = join(dir, 'bridge.yaml');
    const yaml = (sink: string) => `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["${SECRETS.webhook}"] }
retry: { attempts: 1 }
delivery: { pollInterval: 100ms }
sinks: { hook: ${sink} }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`;
    writeFileSync(config, yaml(`{ type: http, url: "${url}" }`));
    const bridge = await BridgeProcess.start(config, { NODE_ENV: 'production' });
    try {
      const newToken = 'reloaded"tok\\en-31337';
      writeFileSync(config, yaml(`{ type: http, url: "${url}", headers: { authorization: 'Bearer ${newToken}' }, body: '{"t": "{{ event }}"}' }`));
      process.kill(bridge.pid, 'SIGHUP');
      await bridge.waitForOutput(/reloaded/, 10_000);
      // the warnings are logged right after the reload's line, and may reach the pipe in a later chunk
      await bridge.waitForOutput(/sinks\.hook\.body: this template produces JSON/, 10_000);
      const body = JSON.stringify(videoEvent('generated_video_failed'));
      expect((await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, SECRETS.webhook) })).status).toBe(200);
      await bridge.waitForOutput(/dead-lettered/, 10_000);
      expect(bridge.output).toContain('upstream rejected token [redacted]');
      expectNoSecret('log output after reload', bridge.output, [newToken]);
    } finally {
      expect(await bridge.stop()).toBe(0);
      echo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the JoggAI API key out of /readyz when JoggAI (or a proxy) echoes it in a failed sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-redact-sync-'));
    const apiKey = 'jogg"api\\key-8c2f';
    const jogg = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end(`proxy says: bad key ${req.headers['x-api-key']}`)));
    await new Promise<void>((resolve) => jogg.listen(0, '127.0.0.1', resolve));
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg:
  apiKey: "\${JOGG_API_KEY}"
  apiUrl: "http://127.0.0.1:${(jogg.address() as AddressInfo).port}"
  publicUrl: "http://127.0.0.1:9/bridge"
  sync: { auto: true, interval: 1s }
  endpoints: [{ name: videos, events: [generated_video_success] }]
sinks: { out: { type: console } }
routes: []
`);
    const bridge = await BridgeProcess.start(config, { NODE_ENV: 'production', JOGG_API_KEY: apiKey });
    try {
      const ready = await waitFor(async () => {
        const body = await (await fetch(`${bridge.url}/readyz`)).text();
        return body.includes('"sync":{"status":"down"') && body;
      }, 20_000, 'the sync to fail');
      expect(ready).toContain('proxy says: bad key [redacted]');
      expectNoSecret('/readyz', ready, [apiKey]);
    } finally {
      expect(await bridge.stop()).toBe(0);
      jogg.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expectNoSecret('log output', bridge.output, [apiKey]);
  });

  it('keeps credentials out that servers echo in their own protocol: a query token of an HTTP sink, SMTP AUTH PLAIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-redact-echo-'));
    const queryToken = 'q-tok/3f9a"7+e';
    const smtpPassword = 'plain-pa55-echo';
    // an HTTP receiver that names the URL it refused, query string and all
    const web = createServer((req, res) => req.resume().on('end', () => res.writeHead(500).end(`bad auth: path=${req.url}`)));
    // a mail server that offers AUTH PLAIN and echoes the command it refused
    const mail = createNetServer((socket) => {
      socket.write('220 echo ESMTP\r\n');
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^(EHLO|HELO)/i.test(line)) socket.write('250-echo\r\n250 AUTH PLAIN\r\n');
          else if (/^AUTH/i.test(line)) socket.write(`535 5.7.8 auth failed for ${line}\r\n`);
          else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('502 no\r\n');
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => mail.listen(0, '127.0.0.1', resolve));
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["${SECRETS.webhook}"] }
retry: { attempts: 1 }
delivery: { pollInterval: 100ms, circuit: { failures: 1000 } }
sinks:
  hook: { type: http, url: "http://127.0.0.1:${(web.address() as AddressInfo).port}/hook?v=2&token=${encodeURIComponent(queryToken)}" }
  mail: { type: email, smtp: "smtp://mailuser:${smtpPassword}@127.0.0.1:${(mail.address() as AddressInfo).port}", from: a@example.com, to: [ops@example.com], tls: { requireTLS: false, allowInsecureAuth: true } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook, mail] }]
`);
    const env = { NODE_ENV: 'production', BRIDGE_ADMIN_TOKEN: SECRETS.adminToken };
    const bridge = await BridgeProcess.start(config, env);
    const secrets = [queryToken, smtpPassword, Buffer.from(`\u0000mailuser\u0000${smtpPassword}`).toString('base64')];
    try {
      const body = JSON.stringify(videoEvent('generated_video_failed'));
      expect((await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, SECRETS.webhook) })).status).toBe(200);
      const admin = async (path: string) => (await fetch(`${bridge.url}/admin${path}`, { headers: { authorization: `Bearer ${SECRETS.adminToken}` } })).text();
      const settled = await waitFor(async () => {
        const list = JSON.parse(await admin('/deliveries')) as { id: number; status: string; lastError: string }[];
        return list.length === 2 && list.every((d) => d.status === 'dead') && list;
      }, 30_000, 'both deliveries dead-lettered');
      const errors = settled.map((d) => d.lastError).join('\n');
      expect(errors).toContain('bad auth: path=/hook?v=2&token=[redacted]');
      expect(errors).toContain('auth failed for AUTH PLAIN [redacted]');
      const shown = JSON.parse(await admin('/config'));
      expect(shown.config.sinks.hook.url).toMatch(/\/hook\?v=2&token=\[redacted\]$/);
      const texts = [errors, JSON.stringify(shown), ...(await Promise.all(settled.map((d) => admin(`/deliveries/${d.id}`))))];
      for (const args of [['deliveries', 'list'], ['deliveries', 'show', String(settled[0].id)], ['deliveries', 'show', String(settled[1].id)], ['routes', 'test', '--event', 'generated_video_failed', '--json']]) {
        const run = await cli([...args, '--config', config], env);
        expect([args, run.status]).toEqual([args, 0]);
        texts.push(run.stdout + run.stderr);
      }
      // the console's overview shows each sink's health check, which quotes the mail server's refusal
      const login = await fetch(`${bridge.url}/console/login`, {
        method: 'POST', body: `token=${encodeURIComponent(SECRETS.adminToken)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const overview = await waitFor(async () => {
        const page = await (await fetch(`${bridge.url}/console`, { headers: { cookie } })).text();
        return page.includes('auth failed for AUTH PLAIN') && page;
      }, 15_000, 'the overview to show the mail sink\'s failed check');
      expect(overview).toContain('auth failed for AUTH PLAIN [redacted]');
      texts.push(overview);
      expectNoSecret('admin answers, stored errors, CLI output and the console', texts.join('\n'), secrets);
    } finally {
      expect(await bridge.stop()).toBe(0);
      web.close();
      mail.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expectNoSecret('log output', bridge.output, secrets);
  });
});
