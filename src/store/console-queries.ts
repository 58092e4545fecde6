import { Delivery, DeliveryStatus, StoredEvent } from './store.types';

/**
 * The read-only questions the web console asks that the queue port (DeliveryQueue) does not: events found by
 * resource id, delivery status, time range or text; counts and series for the overview. A port of its own
 * (one adapter per engine), so the write path never carries them. Every shape is served by an index.
 */
export interface EventSearch {
  /** Exact event names (a glob is expanded by the caller; an empty list matches nothing). */
  events?: readonly string[];
  /** Received at or after / before (ms since epoch). */
  from?: number;
  to?: number;
  /** Events with at least one delivery in this state. */
  status?: DeliveryStatus;
  /** The id of the thing the event is about (video_id, task_id, avatar_id, ...), as `resourceId()` reads it. */
  resource?: string;
  /** Text the raw body contains (case-insensitive). Looks at `TEXT_WINDOW` events at a time, see `searchEvents`. */
  text?: string;
  /** Keyset paging: only ids below this one. */
  before?: number;
  limit: number;
}

/** How many event ids a text search looks through per page (newest first); the page says where it stopped. */
export const TEXT_WINDOW = 200_000;

export interface EventRowSummary {
  id: number;
  event: string;
  eventId: string | null;
  endpoint: string | null;
  receivedAt: number;
  routed: number;
  resourceId: string | null;
  /** Its deliveries by state. */
  deliveries: Partial<Record<DeliveryStatus, number>>;
}

export interface EventPage {
  events: EventRowSummary[];
  /** Pass as `before` for the next page; absent at the end. */
  next?: number;
  /** A text search looked at ids from here up (to `before`); older events are on the next page. */
  searchedFrom?: number;
}

export interface DeadLetterFilter {
  sink?: string;
  events?: readonly string[];
  since?: number;
  /** Only deliveries with an id up to this one (a confirmed "replay all" acts on what was counted). */
  maxId?: number;
  before?: number;
  limit: number;
}

export interface DeadLetter extends Delivery {
  event: string;
  receivedAt: number;
  resourceId: string | null;
}

export interface WindowCounts {
  accepted: number;
  /** Deliveries of the events received in the window, by sink and state. */
  deliveries: { sink: string; status: DeliveryStatus; count: number }[];
  /** Receipt-to-delivery time in ms of the latest deliveries made in the window, per sink. */
  latency: { sink: string; count: number; p50: number; p99: number }[];
}

export interface Series {
  /** Bucket start times (ms) and, per bucket, events received, deliveries delivered, deliveries dead-lettered. */
  at: number[];
  received: number[];
  delivered: number[];
  dead: number[];
}

/** How many of the latest deliveries the latency percentiles are computed from (bounded work per page). */
export const LATENCY_SAMPLE = 20_000;

export abstract class ConsoleQueries {
  abstract searchEvents(search: EventSearch): Promise<EventPage>;
  abstract eventsSince(afterId: number, limit: number): Promise<EventRowSummary[]>;
  abstract getEvent(id: number): Promise<StoredEvent | undefined>;
  /** One event's deliveries, by the (event_pk, route, sink) index. */
  abstract deliveriesOf(eventPk: number): Promise<Delivery[]>;
  /** Dead letters waiting, per sink (the state index; the queue's full count by sink and state reads every row). */
  abstract deadBySink(): Promise<{ sink: string; count: number }[]>;
  abstract deadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]>;
  abstract countDeadLetters(filter: Omit<DeadLetterFilter, 'limit' | 'before'>): Promise<{ count: number; maxId: number }>;
  abstract deadLetterIds(filter: Omit<DeadLetterFilter, 'limit' | 'before'>, limit: number): Promise<number[]>;
  abstract windowCounts(since: number): Promise<WindowCounts>;
  abstract series(since: number, bucketMs: number): Promise<Series>;
  abstract close(): Promise<void>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Per sink: count, p50, p99 of the given (sink, ms) samples. */
export function latencyBySink(samples: readonly { sink: string; ms: number }[]): WindowCounts['latency'] {
  const bySink = new Map<string, number[]>();
  for (const { sink, ms } of samples) (bySink.get(sink) ?? bySink.set(sink, []).get(sink)!).push(Number(ms));
  return [...bySink].sort(([a], [b]) => a.localeCompare(b)).map(([sink, values]) => {
    values.sort((a, b) => a - b);
    return { sink, count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) };
  });
}

/** Buckets from `since` to `now`, filled from sparse (bucket index, count) rows. */
export function fillSeries(since: number, now: number, bucketMs: number, rows: { kind: string; bucket: number; count: number }[]): Series {
  const first = Math.floor(since / bucketMs);
  const n = Math.max(1, Math.floor(now / bucketMs) - first + 1);
  const series: Series = { at: [], received: Array(n).fill(0), delivered: Array(n).fill(0), dead: Array(n).fill(0) };
  for (let i = 0; i < n; i++) series.at.push((first + i) * bucketMs);
  for (const row of rows) {
    const i = Math.floor(Number(row.bucket)) - first;
    const list = row.kind === 'received' ? series.received : row.kind === 'delivered' ? series.delivered : row.kind === 'dead' ? series.dead : undefined;
    if (list && i >= 0 && i < n) list[i] += Number(row.count);
  }
  return series;
}
