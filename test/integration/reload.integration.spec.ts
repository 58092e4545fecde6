import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BridgeConfigService } from '../../src/config/bridge-config.service';
import { ConfigReloaderService } from '../../src/ops/config-reloader.service';
import { SinkRegistry } from '../../src/sink-registry/sink.registry';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';
import { Receiver } from '../support/receiver';

const SECRET = 'reload-secret';
const config = (routes: string, extraSink = '') => `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  a: { type: file, path: "\${DIR}/a.jsonl" }
  b: { type: file, path: "\${DIR}/b.jsonl"${extraSink} }
routes: ${routes}
`;

describe('hot reload', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge(config('[{ name: r, match: { events: ["*"] }, to: [a] }]'));
  });
  afterAll(() => bridge.close());

  const file = () => join(bridge.dir, 'bridge.yaml');
  const lines = (name: string) => (existsSync(join(bridge.dir, name)) ? readFileSync(join(bridge.dir, name), 'utf8') : '');
  async function send(): Promise<string> {
    const body = videoEvent();
    const text = JSON.stringify(body);
    expect((await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET))).status).toBe(200);
    return body.event_id;
  }
  const metric = async () => Number(/^bridge_config_reload_success (\d)/m.exec(await (await fetch(`${bridge.url}/metrics`)).text())![1]);

  it('picks up a changed file by itself and routes by the new rules', async () => {
    const first = await send();
    await waitFor(() => lines('a.jsonl').includes(first));
    writeFileSync(file(), config('[{ name: r, match: { events: ["*"] }, to: [b] }]'));
    const second = await waitFor(async () => {
      const id = await send();
      return (await bridge.store.listDeliveries({ limit: 1 }))[0].sink === 'b' ? id : undefined;
    }, 10_000, 'the watcher to reload');
    await waitFor(() => lines('b.jsonl').includes(second));
    expect(await metric()).toBe(1);
  });

  it('refuses a bad file with every problem and its position, and keeps routing by the running config', async () => {
    writeFileSync(file(), config('[{ name: r, match: { events: ["*"] }, to: [nowhere] }]'));
    const result = bridge.app.get(ConfigReloaderService).reload();
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/bridge\.yaml:\d+:\d+ {2}routes\[0\]\.to\[0\]: unknown sink "nowhere"/) });
    expect(await metric()).toBe(0);
    const id = await send();
    await waitFor(() => lines('b.jsonl').includes(id));
  });

  it('re-creates only the sinks whose settings changed, and leaves changes that need a restart for the restart', async () => {
    const registry = bridge.app.get(SinkRegistry);
    const [a, b] = [registry.get('a'), registry.get('b')];
    writeFileSync(file(), config('[{ name: r, match: { events: ["*"] }, to: [a, b] }]', ', format: "{{ event_id }}"'));
    expect(bridge.app.get(ConfigReloaderService).reload()).toEqual({ ok: true, changed: true });
    expect(registry.get('a')).toBe(a);
    expect(registry.get('b')).not.toBe(b);
    const id = await send();
    await waitFor(() => lines('b.jsonl').split('\n').includes(id) && lines('a.jsonl').includes(id));

    const running = bridge.app.get(BridgeConfigService).current;
    writeFileSync(file(), `server: { port: 1234 }\n${config('[{ name: r2, match: { events: ["*"] }, to: [a] }]')}`);
    expect(bridge.app.get(ConfigReloaderService).reload()).toEqual({ ok: true, changed: true, restartPending: ['server.port'] });
    const applied = bridge.app.get(BridgeConfigService).current;
    expect(applied.routes.map((r) => r.name)).toEqual(['r2']); // the rest applies now
    expect([applied.server, applied.source.server]).toEqual([running.server, running.source.server]); // the port waits for a restart
  });

  it('refuses a file with no settings (empty, comments or document markers only) and keeps the running config', async () => {
    const running = bridge.app.get(BridgeConfigService).current;
    for (const text of ['', '\n\n', '# editing\n', '---\n# nothing yet\n...\n', 'null\n', '~\n', '{}\n', '# c\n---\n']) {
      writeFileSync(file(), text);
      expect(bridge.app.get(ConfigReloaderService).reload()).toEqual({ ok: false, error: expect.stringContaining('the file holds no settings') });
      expect(bridge.app.get(BridgeConfigService).current).toBe(running);
    }
  });

  it('dead-letters, visibly, waiting deliveries of a sink that was removed', async () => {
    writeFileSync(file(), config('[{ name: r, match: { events: ["*"] }, to: [b] }]', ', path: "/dev/null/cannot/write"').replace(/ {2}b: .*\n/, '  b: { type: file, path: "/dev/null/x/b.jsonl" }\n'));
    expect(bridge.app.get(ConfigReloaderService).reload()).toMatchObject({ ok: true });
    await send(); // b cannot write: the delivery waits to be retried
    await waitFor(async () => (await bridge.store.listDeliveries({ sink: 'b', status: 'retrying' })).length > 0, 10_000);
    writeFileSync(file(), config('[{ name: r, match: { events: ["*"] }, to: [a] }]').replace(/ {2}b: .*\n/, ''));
    expect(bridge.app.get(ConfigReloaderService).reload()).toMatchObject({ ok: true });
    const dead = await waitFor(async () => (await bridge.store.listDeliveries({ sink: 'b', status: 'dead' }))[0], 10_000, 'a dead delivery of b');
    expect(dead.lastError).toBe('sink "b" is not configured');
  });
});

describe('hot reload removing a sink while it sends', () => {
  let bridge: TestBridge;
  let receiver: Receiver;
  const yaml = (withHook: boolean) => `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  a: { type: file, path: "\${DIR}/a.jsonl" }
${withHook ? `  hook: { type: http, url: "${receiver.url}/hook", concurrency: 1 }\n` : ''}routes: [{ name: r, match: { events: ["*"] }, to: [a${withHook ? ', hook' : ''}] }]
`;
  beforeAll(async () => {
    receiver = await Receiver.start();
    receiver.always({ status: 200, body: 'ok', delayMs: 1_500 });
    bridge = await startBridge(yaml(true));
  });
  afterAll(async () => {
    await bridge.close();
    await receiver.close();
  });

  it('records the send in flight as it ends (delivered, one attempt) and dead-letters only the unsent ones', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const text = JSON.stringify(videoEvent());
      const res = await bridge.post('/webhooks/jogg', text, signedHeaders(text, SECRET));
      expect(res.status).toBe(200);
      ids.push((res.body as { id: number }).id);
    }
    await waitFor(() => receiver.requests.length === 1, 10_000, 'the first send to be in flight');
    writeFileSync(join(bridge.dir, 'bridge.yaml'), yaml(false));
    expect(bridge.app.get(ConfigReloaderService).reload()).toMatchObject({ ok: true, changed: true });
    const hook = (id: number) => bridge.store.listDeliveries({ eventPk: id, sink: 'hook' }).then((d) => d[0]);
    const first = await waitFor(async () => ((await hook(ids[0])).status === 'delivered' ? hook(ids[0]) : undefined), 10_000, 'the send in flight to be recorded');
    expect(first.attempts).toBe(1);
    for (const id of ids.slice(1)) {
      expect(await waitFor(async () => ((await hook(id)).status === 'dead' ? hook(id) : undefined), 10_000)).toMatchObject({ attempts: 0, lastError: 'sink "hook" is not configured' });
    }
    expect(receiver.requests).toHaveLength(1);
  });
});
