import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { EndpointSyncLog, EndpointSyncRecord, EndpointSyncStatus } from '../store/ports/endpoint-sync-log';
import { KeyringStore } from '../store/ports/keyring-store';
import { EndpointSecret } from '../store/store.types';
import { FakeJogg } from './fake-jogg.server';
import { SyncService } from './sync.service';

const KEY = 'sync-service-spec-key';

class MemoryKeyring extends KeyringStore {
  secrets: EndpointSecret[] = [];
  async saveEndpointSecrets(secrets: readonly EndpointSecret[]): Promise<void> {
    this.secrets.push(...secrets);
  }
  async forgetEndpointSecrets(): Promise<void> {}
  async listEndpointSecrets(): Promise<EndpointSecret[]> {
    return this.secrets;
  }
  async saveRotation(): Promise<void> {}
  async endRotation(): Promise<void> {}
  async listRotations(): Promise<{ name: string; until: number }[]> {
    return [];
  }
}

class MemorySyncLog extends EndpointSyncLog {
  records: EndpointSyncRecord[][] = [];
  async recordSync(records: readonly EndpointSyncRecord[]): Promise<void> {
    this.records.push([...records]);
  }
  async listSync(): Promise<EndpointSyncStatus[]> {
    return [];
  }
}

/** What SyncService.apply records per configured endpoint, against the fake JoggAI over loopback HTTP. */
describe('SyncService records each endpoint\'s result', () => {
  let jogg: FakeJogg;
  beforeEach(async () => {
    jogg = await FakeJogg.start({ apiKey: KEY, postsPerMinute: 1000 });
  });
  afterEach(() => jogg.close());

  const service = (endpoints: { name: string; events: string[] }[]) => {
    const events = new DomainEvents();
    const config = new BridgeConfigService({
      routes: [],
      jogg: {
        apiKey: KEY, apiUrl: jogg.url, publicUrl: 'https://bridge.example.com', sync: { allowUnknownEvents: false },
        endpoints: endpoints.map((e) => ({ ...e, status: 'enabled', secrets: [] })),
      },
    } as unknown as LoadedConfig, events);
    const log = new MemorySyncLog();
    return { sync: new SyncService(config, new MemoryKeyring(), new Clock(), events, log), log };
  };

  it('created, then in sync', async () => {
    const { sync, log } = service([{ name: 'videos', events: ['generated_video_failed'] }]);
    await sync.apply();
    await sync.apply();
    expect(log.records.map((r) => r.map(({ endpoint, result, error }) => ({ endpoint, result, error })))).toEqual([
      [{ endpoint: 'videos', result: 'created', error: null }],
      [{ endpoint: 'videos', result: 'in_sync', error: null }],
    ]);
  });

  it('a refused plan fails each endpoint with its own refusal, and the others with all of them', async () => {
    const { sync, log } = service([{ name: 'videos', events: ['generated_video_failed'] }, { name: 'images', events: ['no_such_event'] }]);
    await expect(sync.apply()).rejects.toThrow(/refusing to apply/);
    const [records] = log.records;
    expect(records.find((r) => r.endpoint === 'images')).toMatchObject({ result: 'failed', error: expect.stringMatching(/^refused: endpoint "images": no_such_event not in JoggAI's event catalogue$/) });
    expect(records.find((r) => r.endpoint === 'videos')).toMatchObject({ result: 'failed', error: expect.stringContaining('no_such_event') });
    expect(jogg.endpoints.size).toBe(0);
  });

});
