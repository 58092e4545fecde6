import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { MetricsService } from '../metrics/metrics.service';
import { SyncLoopService } from './sync-loop.service';
import { SyncService } from './sync.service';

/** The loop with `jogg.sync.auto` on, over a sync that counts its applies. */
function loop() {
  const events = new DomainEvents();
  const config = new BridgeConfigService({ jogg: { sync: { auto: true, intervalMs: 3_600_000 } } } as unknown as LoadedConfig, events);
  const sync = { applies: 0, apply: async () => (sync.applies++, { plan: {}, done: [] }) };
  const metrics = { syncSucceeded: () => undefined } as unknown as MetricsService;
  const service = new SyncLoopService(config, sync as unknown as SyncService, new Clock(), metrics, events);
  service.onModuleInit();
  return { service, sync, events };
}

describe('SyncLoopService and leadership (leadership.changed)', () => {
  let current: ReturnType<typeof loop>;
  afterEach(async () => {
    await current.service.onApplicationShutdown();
    current.service.onModuleDestroy();
  });

  it('stands by until this instance leads, then applies at once (not at its next look)', async () => {
    current = loop();
    current.service.onApplicationBootstrap();
    await Promise.resolve();
    expect(current.service.state.standby).toBe(true);
    expect(current.sync.applies).toBe(0);
    current.events.emit('leadership.changed', { leader: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(current.sync.applies).toBe(1);
    expect(current.service.state).toMatchObject({ standby: false, lastSuccessAt: expect.any(Number) });
  });

  it('applies at start when it already leads, and stands by again once it no longer does', async () => {
    current = loop();
    current.events.emit('leadership.changed', { leader: true });
    current.service.onApplicationBootstrap();
    await new Promise((resolve) => setImmediate(resolve));
    expect(current.sync.applies).toBe(1);
    current.events.emit('leadership.changed', { leader: false });
    await current.service.runOnce();
    expect(current.sync.applies).toBe(1);
    expect(current.service.state.standby).toBe(true);
  });
});
