import { HandOff } from '../common/hand-off';
import { SilenceService } from '../alerting/silence.service';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { BridgeConfigService } from '../config/bridge-config.service';
import { LoadedConfig } from '../config/loaded-config';
import { PlannedDelivery, RoutingService } from '../rules/routing.service';
import { EventInbox } from '../store/ports/event-inbox';
import { NewEvent, StoreUnavailableError } from '../store/store.types';
import { parseEnvelope } from './envelope';
import { IngressService } from './ingress.service';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

/** The ingress over a store that answers as told, with routing that plans `planned` for every event. */
function ingressWith(ingest: (event: NewEvent) => Promise<{ id: number; duplicate: boolean }>, planned: PlannedDelivery[] = []) {
  const events = new DomainEvents();
  const accepted: unknown[] = [];
  events.on('event.accepted', 'test', (payload) => accepted.push(payload));
  const config = new BridgeConfigService({ server: { maxEventAgeMs: HOUR, maxFutureSkewMs: 60_000 }, sinks: new Map() } as unknown as LoadedConfig, events);
  const routing = { plan: () => planned } as unknown as RoutingService;
  const clock = { now: () => NOW } as Clock;
  const silences = { match: () => undefined } as unknown as SilenceService;
  const ingress = new IngressService(config, routing, { ingest } as unknown as EventInbox, clock, events, silences, new HandOff());
  return { ingress, accepted };
}

function webhook(timestamp = NOW / 1000) {
  const text = JSON.stringify({ event: 'generated_video_success', event_id: 'evt_1', timestamp, data: { video_id: 'v1' } });
  return { envelope: parseEnvelope(text), raw: Buffer.from(text), text };
}

const route = { route: 'all', sink: 'out' };

describe('IngressService results', () => {
  it('accepts a new event, says how many deliveries it got, and announces it (event.accepted)', async () => {
    const { ingress, accepted } = ingressWith(async () => ({ id: 7, duplicate: false }), [route, { ...route, sink: 'other' }]);
    expect(await ingress.accept(webhook(), null)).toEqual({ status: 'accepted', id: 7, deliveries: 2 });
    expect(accepted).toEqual([{ id: 7, deliveries: 2, claimed: [], waiting: ['out', 'other'] }]);
  });

  it('accepts an event no route takes without waking anyone', async () => {
    const { ingress, accepted } = ingressWith(async () => ({ id: 8, duplicate: false }));
    expect(await ingress.accept(webhook(), null)).toEqual({ status: 'accepted', id: 8, deliveries: 0 });
    expect(accepted).toEqual([]);
  });

  it('answers a duplicate with the first one\'s id and no deliveries, and announces nothing', async () => {
    const { ingress, accepted } = ingressWith(async () => ({ id: 7, duplicate: true }), [route]);
    expect(await ingress.accept(webhook(), null)).toEqual({ status: 'duplicate', id: 7, deliveries: 0 });
    expect(accepted).toEqual([]);
  });

  it('refuses an event too old or too far ahead as stale, with the reason, storing nothing', async () => {
    const ingest = jest.fn();
    const { ingress } = ingressWith(ingest, [route]);
    expect(await ingress.accept(webhook(NOW / 1000 - 2 * 3600), null)).toEqual({ status: 'stale', reason: 'event is older than 1h' });
    expect(await ingress.accept(webhook(NOW / 1000 + 120), null)).toEqual({ status: 'stale', reason: 'event timestamp is more than 1m in the future' });
    expect(ingest).not.toHaveBeenCalled();
  });

  it('reports a store that cannot write as unavailable, and lets any other error through (a bug: 500)', async () => {
    const down = ingressWith(async () => Promise.reject(new StoreUnavailableError(new Error('SQLITE_FULL'))), [route]);
    expect(await down.ingress.accept(webhook(), null)).toEqual({ status: 'unavailable', reason: 'store unavailable: SQLITE_FULL' });
    expect(down.accepted).toEqual([]);
    const broken = ingressWith(async () => Promise.reject(new TypeError('undefined is not a function')), [route]);
    await expect(broken.ingress.accept(webhook(), null)).rejects.toThrow(TypeError);
  });

  it('stores the endpoint\'s base name (a rotation\'s `videos~2` is `videos`)', async () => {
    const ingest = jest.fn(async () => ({ id: 1, duplicate: false }));
    const { ingress } = ingressWith(ingest);
    await ingress.accept(webhook(), 'videos~2');
    expect(ingest.mock.calls[0]).toEqual([expect.objectContaining({ endpoint: 'videos' })]);
  });
});
