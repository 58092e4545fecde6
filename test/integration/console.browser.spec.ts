import { Browser, BrowserContext, Page } from 'playwright-core';
import { BridgeProcess } from '../support/bridge-process';
import { launchChromium, seriousViolations, signIn } from '../support/console';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { SlackStandIn } from '../support/slack-standin';
import { waitFor } from '../support/wait';

const SECRET = 'console-webhook-secret-41';
const TOKEN = 'console-admin-token-8f2d';

/** The web console in headless Chromium against the built bridge (dist/main.js), as a person uses it. */
describe('web console in a browser', () => {
  let bridge: BridgeProcess;
  let hook: Receiver;
  let slack: SlackStandIn;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const console_ = (path = '') => `${bridge.url}/console${path}`;

  beforeAll(async () => {
    hook = await Receiver.start();
    hook.always({ status: 400, body: 'rejected by the CRM' }); // permanent: dead at once
    slack = await SlackStandIn.start();
    bridge = await BridgeProcess.launch(`
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
retry: { attempts: 1 }
sinks:
  crm: { type: http, url: "${hook.url}/hook", headers: { authorization: "Bearer crm-downstream-secret" } }
  alerts: { type: slack, url: "${slack.webhook('ok')}" }
routes:
  - { name: videos, match: { events: ["generated_*video*"] }, to: [crm, alerts], slack: { text: "Video {{ data.video_id }}: {{ event }}" } }
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
    await Promise.all([page.waitForURL(/replayed=3/), page.click('button:has-text("Replay 3")')]);
    await waitFor(async () => (await page.goto(console_('/dead?sink=crm')), (await page.textContent('#dead-count'))?.includes('0 dead deliveries')), 15_000, 'the replayed letters to be delivered');
    expect(hook.requests.filter((r) => r.status === 200 && /vid-[abc]/.test(r.body))).toHaveLength(3);
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
    await page.fill('#body', '{"event": 1}');
    await page.click('#dry-run button[type=submit]');
    await expect(page.textContent('.flash.error')).resolves.toContain('Not a webhook body');
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

  it('signs out, after which no page opens', async () => {
    await page.goto(console_());
    await Promise.all([page.waitForURL(console_('/login')), page.click('.signout button')]);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('jb_console');
    await page.goto(console_('/dead'));
    expect(page.url()).toBe(console_('/login?next=%2Fconsole%2Fdead'));
  });
});
