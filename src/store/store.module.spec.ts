import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/config.loader';
import { DeliveryQueue, EventInbox, Housekeeping, KeyringStore, LeaderLock } from './ports';
import { StoreModule } from './store.module';

describe('StoreModule', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jogg-store-module-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function context() {
    const file = join(dir, 'bridge.yaml');
    writeFileSync(file, `store: { path: "${dir}/b.db" }\njogg: { secrets: ["s3cret"] }\nroutes: []\n`);
    const config = loadConfig({ path: file, env: {} });
    const setup = { config, serving: true };
    return NestFactory.createApplicationContext({ module: class Root {}, imports: [StoreModule.forRoot(setup)] } as never, { logger: false, moduleIdGeneratorAlgorithm: 'reference' });
  }

  it('provides every port from one engine: what the inbox stores, the queue and housekeeping see', async () => {
    const app = await context();
    const [inbox, queue, keyring, leader, housekeeping] = [EventInbox, DeliveryQueue, KeyringStore, LeaderLock, Housekeeping].map((t) => app.get(t as never));
    const engines = [inbox, queue, keyring, housekeeping].map((port) => (port as unknown as { engine: unknown }).engine);
    expect(new Set(engines).size).toBe(1);
    const { id } = await (inbox as EventInbox).ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [{ route: 'r', sink: 's' }] });
    expect((await (queue as DeliveryQueue).claimDue('s', 10, 2, 1000)).map((d) => d.eventPk)).toEqual([id]);
    expect(await (leader as LeaderLock).acquireLeadership()).toBe(true);
    await expect((housekeeping as Housekeeping).ping()).resolves.toBeUndefined();
    await app.close();
  });

  it('closes the engine when the application shuts down: later writes are refused', async () => {
    const app = await context();
    const inbox = app.get(EventInbox);
    await app.close();
    await expect(inbox.ingest({ dedupeKey: 'k', event: 'e', timestamp: 1, endpoint: null, receivedAt: 1, body: '{}', deliveries: [] }))
      .rejects.toMatchObject({ name: 'StoreUnavailableError', message: expect.stringMatching(/closed/) });
  });
});
