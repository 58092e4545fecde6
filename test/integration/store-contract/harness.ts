import { DeliveryQueue, StorePorts } from '../../../src/store/ports';
import { NewEvent } from '../../../src/store/store.types';

/** Opens a fresh, empty store (its ports), and can open the same one again. */
export type OpenStore = () => Promise<{ ports: StorePorts; reopen: () => Promise<StorePorts> }>;

/** The store of the running test: a fresh one per test, closed after it; `reopen` closes it and opens it again. */
export interface LiveStore extends Omit<StorePorts, 'close'> {
  reopen(): Promise<void>;
}

export function useStore(open: OpenStore): LiveStore {
  let ports: StorePorts;
  let again: () => Promise<StorePorts>;
  beforeEach(async () => {
    ({ ports, reopen: again } = await open());
  });
  afterEach(() => ports.close());
  return {
    get inbox() { return ports.inbox; },
    get queue() { return ports.queue; },
    get keyring() { return ports.keyring; },
    get leader() { return ports.leader; },
    get housekeeping() { return ports.housekeeping; },
    get groups() { return ports.groups; },
    get silences() { return ports.silences; },
    get answers() { return ports.answers; },
    get syncLog() { return ports.syncLog; },
    async reopen() {
      await ports.close();
      ports = await again();
    },
  };
}

let n = 0;

/** A new event (a fresh dedupe key each time) with deliveries to sinks a and b, unless overridden. */
export function event(over: Partial<NewEvent> = {}): NewEvent {
  n += 1;
  return {
    dedupeKey: `id:e${n}`, eventId: `e${n}`, event: 'generated_video_success', timestamp: 1_700_000_000, endpoint: null,
    receivedAt: 1_000, body: `{"n":${n}}`, deliveries: [{ route: 'r', sink: 'a' }, { route: 'r', sink: 'b' }], ...over,
  };
}

/** An event with one delivery to sink k under the order key `key`. */
export function keyed(key: string | null, receivedAt = 1_000): NewEvent {
  return event({ receivedAt, deliveries: [{ route: 'r', sink: 'k', orderKey: key }] });
}

/** Claims sink k's due deliveries; their event ids, in claim order. */
export async function claimIds(s: { queue: DeliveryQueue }, now: number, limit = 100): Promise<number[]> {
  return (await s.queue.claimDue('k', limit, now, 1_000)).map((d) => d.eventPk);
}
