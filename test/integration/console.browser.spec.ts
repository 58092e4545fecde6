import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { BridgeProcess } from '../support/bridge-process';
import { launchChromium, seriousViolations, signIn } from '../support/console';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

const SECRET = 'console-webhook-secret-41';
const TOKEN = 'console-admin-token-8f2d';
const SIGNING = 'whsec_Y29uc29sZS1zaWduaW5nLWtleS0wMTIzNDU2Nzg5';

/** An HTTP receiver that holds every request until released (deliveries stay pending meanwhile). */
async function heldReceiver(): Promise<{ url: string; release: () => void; waiting: () => number; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => req.resume().on('end', () => held.push(res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const release = () => held.splice(0).forEach((res) => res.writeHead(200).end('ok'));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release,
    waiting: () => held.length,
    close: () => (release(), server.closeAllConnections(), new Promise((resolve) => server.close(() => resolve()))),
  };
}

/** The web console in headless Chromium against the built bridge (dist/main.js), as a person uses it. */
describe('web console in a browser', () => {
  let bridge: BridgeProcess;
  let hook: Receiver;
  let slack: SlackStandIn;
  let held: Awaited<ReturnType<typeof heldReceiver>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const console_ = (path = '') => `${bridge.url}/console${path}`;

  beforeAll(async () => {
    hook = await Receiver.start();
    hook.always({ status: 400, body: 'rejected by the CRM' }); // permanent: dead at once
    slack = await SlackStandIn.start();
    held = await heldReceiver();
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 1 }
sinks:
  crm: { type: http, url: "${hook.url}/hook", headers: { authorization: "Bearer crm-downstream-secret" }, sign: { secret: "${SIGNING}" } }
  alerts: { type: slack, url: "${slack.webhook('ok')}" }
  slow: { type: http, url: "${held.url}/images", timeout: 60s }
routes:
  - { name: videos, match: { events: ["generated_*video*"] }, to: [crm, alerts], slack: { text: "Video {{ data.video_id }}: {{ event }}" } }
  - { name: images, match: { events: ["generated_image_*"] }, to: [slow] }
  - { name: scripts, match: { events: ["generated_script_*"] }, to: [alerts], group: { wait: 1s, interval: 1s } }
  - { name: motions, match: { events: ["generated_motion_*"] }, to: [alerts], group: { wait: 1h } }
`, { BRIDGE_ADMIN_TOKEN: TOKEN });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await hook?.close();
    await slack?.close();
    await held?.close();
  });

  it('refuses a wrong token and says so, then signs in with the right one', async () => {
    await page.goto(console_('/events'));
    expect(page.url()).toBe(console_('/login?next=%2Fconsole%2Fevents'));
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect(page.textContent('[role=alert]')).resolves.toContain('not the admin token');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('jb_console');
    expect(bridge.output).not.toContain('not-the-token');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(console_('/events')), page.click('button[type=submit]')]);
    const cookie = (await context.cookies()).find((c) => c.name === 'jb_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    await expect(page.textContent('h1')).resolves.toBe('Events');
  });

  it('shows a triggered event live, then its deliveries', async () => {
    await page.goto(console_('/events'));
    await page.click('#live-toggle');
    await waitFor(async () => (await page.textContent('#live-status'))?.includes('new events appear'), 10_000, 'the live stream to open');
    const body = videoEvent('generated_video_success', { video_id: 'vid-live-1' });
    expect((await bridge.webhook(body, SECRET)).status).toBe(200);
    const row = page.locator('#events tbody tr', { hasText: 'vid-live-1' });
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain('generated_video_success');
    await Promise.all([page.waitForURL(/\/console\/events\/\d+$/), row.locator('a').click()]);
    await expect(page.textContent('h1')).resolves.toMatch(/^Event #\d+ · generated_video_success$/);
    // the Slack message as sent, and the HTTP sink's dead letter with its error; the CRM's credential is not shown
    await page.locator('#deliveries h3 .badge.delivered').waitFor({ timeout: 15_000 });
    await page.locator('#deliveries h3 .badge.dead').waitFor({ timeout: 15_000 });
    const deliveries = await page.textContent('#deliveries');
    expect(deliveries).toContain('Video vid-live-1: generated_video_success');
    expect(deliveries).toContain('400');
    expect(await page.content()).not.toContain('crm-downstream-secret');
    await expect(page.textContent('#h-routes + table')).resolves.toContain('the event name matches "generated_*video*"');
    // the headers the signing sink adds at send time are part of the message shown, the signature as a placeholder
    const crmId = (await page.getAttribute('#deliveries article:has-text("crm")', 'id'))!.replace('delivery-', '');
    const headers = await page.textContent('#deliveries article:has-text("crm") pre[aria-label="headers"]');
    expect(headers).toContain(`"webhook-id": "jb_${crmId}"`);
    expect(headers).toContain('"webhook-signature": "[computed at send]"');
    expect(headers).toContain('"webhook-timestamp"');
    expect(headers).toContain('"webhook-attempt": "1"');
    expect(await page.content()).not.toContain(SIGNING.slice(6));
  });

  it('replays a dead delivery from the dead-letter list and shows it delivered', async () => {
    hook.always({ status: 200, body: 'ok' });
    await page.goto(console_('/dead'));
    const row = page.locator('#dead tbody tr', { hasText: 'vid-live-1' });
    await expect(row.textContent()).resolves.toContain('crm');
    const eventLink = await row.locator('a').first().getAttribute('href');
    await Promise.all([page.waitForURL(/\/console\/dead\?replayed=1/), row.locator('button', { hasText: 'Replay' }).click()]);
    await expect(page.textContent('[role=status]')).resolves.toContain('Replayed 1 delivery');
    await page.goto(`${bridge.url}${eventLink}`);
    // the timeline refreshes itself while the delivery waits
    await page.locator('#deliveries article', { hasText: 'crm' }).locator('.badge.delivered').first().waitFor({ timeout: 15_000 });
    const crm = await page.textContent('#deliveries article:has-text("crm")');
    expect(crm).toMatch(/1\s*\d{4}-\d\d-\d\d .*dead[\s\S]*2\s*\d{4}-\d\d-\d\d .*delivered/);
    expect(hook.requests.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('replays all matching dead letters after a confirmation that says how many', async () => {
    hook.always({ status: 400, body: 'rejected again' });
    for (const id of ['vid-a', 'vid-b', 'vid-c']) expect((await bridge.webhook(videoEvent('generated_video_failed', { video_id: id }), SECRET)).status).toBe(200);
    await waitFor(async () => (await page.goto(console_('/dead?sink=crm')), (await page.textContent('#dead-count'))?.includes('3 dead deliveries')), 15_000, 'three dead letters');
    hook.always({ status: 200, body: 'ok' });
    await Promise.all([page.waitForURL(/\/console\/dead\/confirm/), page.click('text=Replay all 3…')]);
    await expect(page.textContent('#confirm-text')).resolves.toContain('Replay 3 dead deliveries (sink crm)');
    await Promise.all([page.waitForURL(/\/console\/dead\?sink=crm&replayed=3$/), page.click('button:has-text("Replay 3")')]); // the filter kept
    await waitFor(async () => (await page.goto(console_('/dead?sink=crm')), (await page.textContent('#dead-count'))?.includes('0 dead deliveries')), 15_000, 'the replayed letters to be delivered');
    expect(hook.requests.filter((r) => r.status === 200 && /vid-[abc]/.test(r.body))).toHaveLength(3);
  });

  it('shows the group message an event went out in, and which silence held a delivery, which it sends anyway', async () => {
    const grouped = [videoEvent('generated_script_success', { video_id: 'vid-script-1' }), videoEvent('generated_script_success', { video_id: 'vid-script-2' })];
    const ids: number[] = [];
    for (const body of grouped) {
      const answer = await bridge.webhook(body, SECRET);
      expect(answer.status).toBe(200);
      ids.push(answer.body.id as number);
    }
    const groups = page.locator('section[aria-labelledby="h-groups"]');
    await waitFor(async () => (await page.goto(console_(`/events/${ids[1]}`)), (await groups.locator('.badge.delivered').count()) === 1), 15_000, 'the group message sent');
    const row = await groups.locator('tbody tr').textContent();
    expect(row).toMatch(/#\d+\s*scripts → alerts\s*2\s*closed/);
    expect(slack.posts.some((p) => JSON.stringify(p).includes('2 × generated_script_success'))).toBe(true);
    if (process.env.CONSOLE_SHOTS) await page.screenshot({ path: `${process.env.CONSOLE_SHOTS}/event-groups.png`, fullPage: true });

    const silence = await fetch(`${bridge.url}/admin/silences`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: ['data.video_id=vid-hush', 'sink=alerts'], for: '1h', comment: 'console test' }),
    });
    expect(silence.status).toBe(201);
    const silenceId = ((await silence.json()) as { id: number }).id;
    // the overview lists what waits: the silence, and a group still collecting
    expect((await bridge.webhook(videoEvent('generated_motion_success', { video_id: 'vid-motion' }), SECRET)).status).toBe(200);
    await page.goto(console_());
    const waiting = await page.textContent('section[aria-labelledby="h-alerting"]');
    expect(waiting).toMatch(/#\d+\s*motions → alerts\s*event=generated_motion_success\s*1/);
    expect(waiting).toMatch(new RegExp(`#${silenceId}\\s*data.video_id=vid-hush sink=alerts.*console test`, 's'));
    if (process.env.CONSOLE_SHOTS) await page.screenshot({ path: `${process.env.CONSOLE_SHOTS}/overview-waiting.png`, fullPage: true });
    const hushed = await bridge.webhook(videoEvent('generated_video_success', { video_id: 'vid-hush' }), SECRET);
    await page.goto(console_(`/events/${hushed.body.id}`));
    const alerts = page.locator('#deliveries article', { hasText: 'alerts' });
    await expect(alerts.locator('.badge.silenced').count()).resolves.toBe(1);
    await expect(alerts.textContent()).resolves.toContain(`Silenced bysilence #${silenceId} (recorded, not sent)`);
    if (process.env.CONSOLE_SHOTS) await page.screenshot({ path: `${process.env.CONSOLE_SHOTS}/event-silenced.png`, fullPage: true });
    await Promise.all([page.waitForURL(/replayed=/), alerts.locator('button', { hasText: 'Send anyway' }).click()]);
    await alerts.locator('h3 .badge.delivered').waitFor({ timeout: 15_000 });
    expect(slack.posts.some((p) => JSON.stringify(p).includes('Video vid-hush'))).toBe(true);
  });

  it('finds events by resource id, status and glob', async () => {
    await page.goto(console_('/events?resource=vid-b'));
    await expect(page.locator('#events tbody tr').count()).resolves.toBe(1);
    await page.goto(console_('/events?event=*_failed'));
    await expect(page.locator('#events tbody tr').count()).resolves.toBe(3);
    await page.goto(console_('/events?q=VID-LIVE'));
    await expect(page.locator('#events tbody tr').count()).resolves.toBe(1);
    await page.goto(console_('/events?status=delivered&event=generated_video_failed'));
    await expect(page.locator('#events tbody tr').count()).resolves.toBe(3);
    await page.goto(console_('/events?status=dead'));
    await expect(page.textContent('#no-events')).resolves.toBe('No events match.');
  });

  it('shows hostile text in an event as text, live and on its page', async () => {
    const hostile = '<img src=x onerror="window.__xss=1">';
    const note = '</script><script>window.__xss=2</script>';
    await page.goto(console_('/events'));
    await page.click('#live-toggle');
    await waitFor(async () => (await page.textContent('#live-status'))?.includes('new events appear'), 10_000, 'the live stream to open');
    expect((await bridge.webhook(videoEvent('generated_video_success', { video_id: hostile, note }), SECRET)).status).toBe(200);
    const row = page.locator('#events tbody tr', { hasText: hostile });
    await row.waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForURL(/\/console\/events\/\d+$/), row.locator('a').click()]);
    expect(await page.textContent('pre[aria-label="Body, pretty-printed"]')).toContain(note);
    await page.goto(console_(`/events?resource=${encodeURIComponent(hostile)}`));
    await expect(page.textContent('#events tbody')).resolves.toContain(hostile);
    await expect(page.evaluate('window.__xss')).resolves.toBeUndefined();
    await expect(page.locator('img').count()).resolves.toBe(0);
  });

  it('dry-runs a route with a sample body and shows what each sink would get', async () => {
    await page.goto(console_('/routes?sample=generated_avatar_video_success'));
    await Promise.all([page.waitForURL(console_('/routes/test')), page.click('#dry-run button[type=submit]')]);
    const result = await page.textContent('#dry-run-result');
    expect(result).toContain('1 route match');
    expect(result).toContain('Route videos');
    expect(result).toMatch(/Video [0-9a-f]+: generated_avatar_video_success/);
    expect(await page.textContent('pre[aria-label="Running config"]')).toContain('[redacted]');
    expect(await page.content()).not.toContain('crm-downstream-secret');
    const headers = await page.textContent('#dry-run-result .sink-result:has-text("crm") pre[aria-label="headers"]');
    expect(headers).toContain('"webhook-id": "jb_<delivery id>"');
    expect(headers).toContain('"webhook-signature": "[computed at send]"');
    expect(headers).toContain('"webhook-attempt": "1"');
    await page.fill('#body', '{"event": 1}');
    await page.click('#dry-run button[type=submit]');
    await expect(page.textContent('.flash.error')).resolves.toContain('Not a webhook body');
    // what alerting would do, as routes test says it: a grouped route's alert joins a group message
    await page.goto(console_('/routes?sample=generated_script_success'));
    await Promise.all([page.waitForURL(console_('/routes/test')), page.click('#dry-run button[type=submit]')]);
    await expect(page.textContent('#dry-run-result .sink-result:has-text("alerts") .alerting')).resolves.toMatch(/^grouped by event=generated_script_success: /);
    if (process.env.CONSOLE_SHOTS) await page.screenshot({ path: `${process.env.CONSOLE_SHOTS}/routes-dry-run.png`, fullPage: true });
  });

  it('keeps the chosen sample selected when the body tested is not JSON', async () => {
    await page.goto(console_('/routes?sample=generated_image_failed'));
    await expect(page.inputValue('#sample')).resolves.toBe('generated_image_failed');
    await page.fill('#body', '{ not json');
    await Promise.all([page.waitForURL(console_('/routes/test')), page.click('#dry-run button[type=submit]')]);
    await expect(page.textContent('.flash.error')).resolves.toContain('Not a webhook body');
    await expect(page.inputValue('#sample')).resolves.toBe('generated_image_failed');
    await expect(page.inputValue('#body')).resolves.toBe('{ not json');
  });

  it('has no serious accessibility violations on any page', async () => {
    const eventId = (await page.goto(console_('/events')), await page.locator('#events tbody a').first().textContent());
    const pages = ['', '/events', `/events/${eventId}`, '/dead', '/dead/confirm', '/routes'];
    for (const path of pages) {
      await page.goto(console_(path));
      expect({ path, violations: await seriousViolations(page) }).toEqual({ path, violations: [] });
    }
    const anonymous = await browser.newPage();
    await anonymous.goto(console_('/login'));
    expect({ path: '/login', violations: await seriousViolations(anonymous) }).toEqual({ path: '/login', violations: [] });
    await anonymous.close();
  });

  it('draws the overview charts from the bundled chart library', async () => {
    await page.goto(console_());
    await page.locator('#chart-hour-data ~ *, .plot canvas').first().waitFor({ timeout: 10_000 });
    await expect(page.locator('.plot canvas').count()).resolves.toBe(2);
    await expect(page.textContent('main')).resolves.toMatch(/\d+ events accepted/);
  });

  it('updates the delivery states of the rows shown while live, without a reload', async () => {
    // one event waiting before the page opens (a row the server drew), one arriving live
    expect((await bridge.webhook(videoEvent('generated_image_success', { video_id: 'img-before' }), SECRET)).status).toBe(200);
    await waitFor(() => held.waiting() === 1, 10_000, 'the first image delivery to be under way');
    await page.goto(console_('/events'));
    const before = page.locator('#events tbody tr', { hasText: 'img-before' });
    await expect(before.textContent()).resolves.toContain('1 pending');
    await page.click('#live-toggle');
    await waitFor(async () => (await page.textContent('#live-status'))?.includes('new events appear'), 10_000, 'the live stream to open');
    expect((await bridge.webhook(videoEvent('generated_image_success', { video_id: 'img-live' }), SECRET)).status).toBe(200);
    const live = page.locator('#events tbody tr', { hasText: 'img-live' });
    await live.locator('.badge.pending').waitFor({ timeout: 10_000 });
    await expect(live.textContent()).resolves.toContain('1 pending');
    await waitFor(() => held.waiting() === 2, 10_000, 'the second image delivery to be under way');
    held.release();
    await live.locator('.badge.delivered').waitFor({ timeout: 15_000 });
    await before.locator('.badge.delivered').waitFor({ timeout: 15_000 });
    await expect(live.textContent()).resolves.toContain('1 delivered');
    await expect(live.locator('.badge.pending').count()).resolves.toBe(0);
  });

  it('shows live mode reconnecting while the bridge is down, and on again once it is back', async () => {
    await page.goto(console_('/events'));
    await page.click('#live-toggle');
    const status = page.locator('#live-status');
    await waitFor(async () => (await status.getAttribute('data-state')) === 'on', 10_000, 'the live stream to open');
    await expect(status.getAttribute('aria-live')).resolves.toBe('polite');
    const port = new URL(bridge.url).port;
    expect(await bridge.stop()).toBe(0);
    await waitFor(async () => (await status.getAttribute('data-state')) === 'reconnecting', 10_000, 'the page to say it is reconnecting');
    await expect(status.textContent()).resolves.toContain('reconnecting');
    const restarted = await BridgeProcess.start(bridge.configPath, { BRIDGE_ADMIN_TOKEN: TOKEN, PORT: port });
    restarted.dir = bridge.dir;
    bridge = restarted;
    await waitFor(async () => (await status.getAttribute('data-state')) === 'on', 20_000, 'the page to reconnect');
    await expect(status.textContent()).resolves.toContain('Live: on');
    expect((await bridge.webhook(videoEvent('generated_video_success', { video_id: 'vid-after-restart' }), SECRET)).status).toBe(200);
    await page.locator('#events tbody tr', { hasText: 'vid-after-restart' }).waitFor({ timeout: 10_000 });
  });

  it('answers errors under /console as pages, and pages load without a console error', async () => {
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
    for (const path of ['', '/events', '/dead', '/routes']) {
      await page.goto(console_(path));
      await page.waitForLoadState('networkidle');
    }
    expect(errors).toEqual([]);
    // an icon of its own (inline, allowed by the CSP), so a browser does not ask for /favicon.ico and log its 404
    await expect(page.getAttribute('link[rel=icon]', 'href')).resolves.toBe('data:,');
    page.removeAllListeners('console');
    page.removeAllListeners('response');
    const missing = await page.goto(console_('/nope'));
    expect(missing!.status()).toBe(404);
    expect(missing!.headers()['content-type']).toContain('text/html');
    await expect(page.textContent('h1')).resolves.toBe('Not found');
    await expect(page.locator('nav[aria-label=Console]').count()).resolves.toBe(1); // signed in: the navigation stays
    await expect(page.textContent('[role=alert]')).resolves.toBe('There is no such page in the console.');
    // a refused filter: the reason, and the navigation stays (signed in)
    const refused = await page.goto(console_('/dead?since=abc'));
    expect(refused!.status()).toBe(400);
    await expect(page.locator('nav[aria-label=Console]').count()).resolves.toBe(1);
    await expect(page.textContent('[role=alert]')).resolves.toMatch(/since/);
  });

  it('signs out, after which no page opens', async () => {
    await page.goto(console_());
    await Promise.all([page.waitForURL(console_('/login')), page.click('.signout button')]);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('jb_console');
    await page.goto(console_('/dead'));
    expect(page.url()).toBe(console_('/login?next=%2Fconsole%2Fdead'));
  });
});
