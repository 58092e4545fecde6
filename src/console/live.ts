import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainEvents, Subscriptions } from '../common/domain-events';
import { EventRowSummary } from '../store/console-queries';
import { SECURITY_HEADERS } from './security';

const POLL_MS = 1000;
const HEARTBEAT_MS = 10_000;
/** Rows whose delivery states a stream re-reads per poll (each one indexed read); older ones wait their turn. */
const WATCH_PER_POLL = 20;
/** Rows a stream follows at most (the page shows 50; live rows come on top). */
const WATCH_MAX = 200;

export type DeliveryCounts = EventRowSummary['deliveries'];

export interface LiveSource {
  /** Events stored after this id, oldest first. */
  since(after: number): Promise<EventRowSummary[]>;
  /** The delivery states of one event, by state. */
  states(eventId: number): Promise<DeliveryCounts>;
}

/** A row is final when none of its deliveries waits (pending or retrying). */
export function settled(counts: DeliveryCounts): boolean {
  return !counts.pending && !counts.retrying;
}

/**
 * Live mode: each open stream asks the store for events after the last one it sent, once a second, and sends
 * them as one `events` message (id: the newest, so a reconnecting browser resumes where it was). Polling the
 * store rather than listening to this process's ingress shows what every instance received. It also re-reads
 * the delivery states of the rows shown that still wait (those it sent, and those the page lists in `watch`)
 * and sends the changed ones as a `states` message, until each is final.
 *
 * A stream ends with its session, and when the bridge begins to stop (`bridge.stopping`): a `stopping` message
 * first, so the page says so, then the response ends. A stream is a request that never finishes on its own, so
 * left open it would hold the port's close (and the process) until the browser went away. Streams asked for
 * while stopping get the same `stopping` message and end at once; the browser retries, and finds the bridge
 * back once it is.
 */
@Injectable()
export class LiveStreams implements OnModuleInit, OnModuleDestroy {
  private readonly streams = new Set<() => void>();
  private readonly subscriptions = new Subscriptions();
  private stopping = false;

  constructor(private readonly events: DomainEvents) {}

  onModuleInit(): void {
    this.subscriptions.add(this.events.on('bridge.stopping', LiveStreams.name, () => this.stopAll()));
  }

  onModuleDestroy(): void {
    this.subscriptions.unsubscribe();
    this.stopAll();
  }

  open(req: FastifyRequest, reply: FastifyReply, opening: { after: number; watch: number[]; sessionEnds: number }, source: LiveSource): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    if (this.stopping) return void res.end(STOPPING);
    let last = opening.after;
    const watched = new Map<number, string>(opening.watch.slice(0, WATCH_MAX).map((id) => [id, '']));
    let busy = false;
    const poll = async () => {
      if (busy || res.writableEnded) return;
      busy = true;
      try {
        const rows = await source.since(last);
        if (rows.length) {
          last = rows[rows.length - 1].id;
          await withStates(rows, watched, source);
          write(`id: ${last}\nevent: events\ndata: ${JSON.stringify(rows)}\n\n`);
        }
        const changed = await refresh(watched, source);
        if (changed.length) write(`event: states\ndata: ${JSON.stringify(changed)}\n\n`);
      } catch {
        write(': store unavailable, retrying\n\n');
      } finally {
        busy = false;
      }
    };
    const write = (text: string) => {
      if (!res.writableEnded) res.write(text);
    };
    const timers = [setInterval(poll, POLL_MS), setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS)];
    const expiry = setTimeout(() => end(), Math.max(0, Math.min(opening.sessionEnds - Date.now(), 2 ** 31 - 1)));
    const end = (farewell = '') => {
      timers.forEach(clearInterval);
      clearTimeout(expiry);
      this.streams.delete(stop);
      if (!res.writableEnded) res.end(farewell);
    };
    const stop = () => end(STOPPING);
    this.streams.add(stop);
    req.raw.on('close', () => end());
    void poll();
  }

  private stopAll(): void {
    this.stopping = true;
    for (const stop of [...this.streams]) stop();
  }
}

const STOPPING = 'event: stopping\ndata: the bridge is stopping\n\n';

/**
 * New rows come without their delivery states (the events query does not count them): the newest rows' are read
 * now; the rest, and those still waiting, are watched (an empty "sent" state: the next refresh sends theirs).
 */
async function withStates(rows: EventRowSummary[], watched: Map<number, string>, source: LiveSource): Promise<void> {
  const routed = rows.filter((row) => row.routed > 0);
  for (const [index, row] of routed.entries()) {
    const fresh = index >= routed.length - WATCH_PER_POLL;
    if (fresh) row.deliveries = await source.states(row.id);
    if ((!fresh || !settled(row.deliveries)) && watched.size < WATCH_MAX) watched.set(row.id, fresh ? JSON.stringify(row.deliveries) : '');
  }
}

/** Re-reads the oldest watched rows' states; returns the rows whose states changed, and forgets the final ones. */
async function refresh(watched: Map<number, string>, source: LiveSource): Promise<{ id: number; deliveries: DeliveryCounts }[]> {
  const changed: { id: number; deliveries: DeliveryCounts }[] = [];
  for (const [id, before] of [...watched].slice(0, WATCH_PER_POLL)) {
    const deliveries = await source.states(id);
    const now = JSON.stringify(deliveries);
    watched.delete(id);
    if (!settled(deliveries)) watched.set(id, now); // to the back of the line
    if (now !== before) changed.push({ id, deliveries });
  }
  return changed;
}
