import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { KeyringStore } from '../store/ports/keyring-store';
import { EndpointSecret } from '../store/store.types';
import { KeyringService } from './keyring.service';

/** A store holding only captured secrets, counting how often they are read. */
function storeWith(secrets: EndpointSecret[]) {
  const store = { reads: 0, secrets, listEndpointSecrets: async () => (store.reads++, [...store.secrets]) };
  return store;
}

function configWith(secrets: string[]): LoadedConfig {
  return { jogg: { secrets, endpoints: [{ name: 'videos', secrets: [] }] } } as unknown as LoadedConfig;
}

function keyring(store: ReturnType<typeof storeWith>, events = new DomainEvents(), config = new BridgeConfigService(configWith(['static']), events)) {
  const ring = new KeyringService(config, store as unknown as KeyringStore, events);
  ring.onModuleInit();
  return ring;
}

describe('KeyringService after a signature miss', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('re-reads the captured secrets and says when they changed, so the receiver verifies once more', async () => {
    const store = storeWith([]);
    const ring = keyring(store);
    await ring.refresh();
    store.secrets = [{ endpoint: 'videos', endpointId: 'wh_1', secret: 'whsec_new' }];
    expect(await ring.refreshAfterMiss()).toBe(true);
    expect(ring.secretsFor('videos')).toEqual(['whsec_new']);
    expect(ring.secretsFor(null)).toEqual(['static', 'whsec_new']);
  });

  it('reads the store at most once a second, however many misses, and shares a read in flight', async () => {
    const store = storeWith([]);
    const ring = keyring(store);
    const concurrent = await Promise.all([ring.refreshAfterMiss(), ring.refreshAfterMiss(), ring.refreshAfterMiss()]);
    expect(concurrent).toEqual([false, false, false]);
    expect(store.reads).toBe(1);
    now += 999;
    store.secrets = [{ endpoint: 'videos', endpointId: 'wh_1', secret: 'whsec_new' }];
    expect(await ring.refreshAfterMiss()).toBe(false);
    expect(store.reads).toBe(1);
    now += 1;
    expect(await ring.refreshAfterMiss()).toBe(true);
    expect(store.reads).toBe(2);
  });

  it('answers false when the store cannot be read (the periodic refresh tries again)', async () => {
    const store = storeWith([]);
    store.listEndpointSecrets = async () => Promise.reject(new Error('database is locked'));
    expect(await keyring(store).refreshAfterMiss()).toBe(false);
  });
});

describe('KeyringService and the events it takes', () => {
  it('verifies with the secrets sync announces (keyring.changed) at once, without reading the store', () => {
    const store = storeWith([]);
    const events = new DomainEvents();
    const ring = keyring(store, events);
    events.emit('keyring.changed', { secrets: [{ endpoint: 'videos', endpointId: 'wh_1', secret: 'whsec_new' }] });
    expect(ring.secretsFor('videos')).toEqual(['whsec_new']);
    expect(ring.secretsFor('videos~2')).toEqual(['whsec_new']);
    expect(store.reads).toBe(0);
  });

  it('takes the secrets of a reloaded config (config.changed), and stops listening once destroyed', () => {
    const events = new DomainEvents();
    const config = new BridgeConfigService(configWith(['static']), events);
    const ring = keyring(storeWith([]), events, config);
    config.apply(configWith(['reloaded']));
    expect(ring.secretsFor(null)).toEqual(['reloaded']);
    ring.onModuleDestroy();
    config.apply(configWith(['later']));
    expect(ring.secretsFor(null)).toEqual(['reloaded']);
  });
});
