import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { EventRowSummary } from '../store/console-queries';
import { SECURITY_HEADERS } from './security';

const POLL_MS = 1000;
const HEARTBEAT_MS = 10_000;

/**
 * Live mode: each open stream asks the store for events after the last one it sent, once a second, and sends
 * them as one `events` message (id: the newest, so a reconnecting browser resumes where it was). Polling the
 * store rather than listening to this process's ingress shows what every instance received. A stream ends with
 * its session, and at shutdown.
 */
@Injectable()
export class LiveStreams implements OnApplicationShutdown {
  private readonly streams = new Set<() => void>();

  open(req: FastifyRequest, reply: FastifyReply, after: number, sessionEnds: number, read: (after: number) => Promise<EventRowSummary[]>): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    let last = after;
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const rows = await read(last);
        if (rows.length) {
          last = rows[rows.length - 1].id;
          res.write(`id: ${last}\nevent: events\ndata: ${JSON.stringify(rows)}\n\n`);
        }
      } catch {
        res.write(': store unavailable, retrying\n\n');
      } finally {
        busy = false;
      }
    };
    const timers = [setInterval(poll, POLL_MS), setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)];
    const expiry = setTimeout(() => end(), Math.max(0, Math.min(sessionEnds - Date.now(), 2 ** 31 - 1)));
    const end = () => {
      timers.forEach(clearInterval);
      clearTimeout(expiry);
      this.streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.streams.add(end);
    req.raw.on('close', end);
    void poll();
  }

  onApplicationShutdown(): void {
    for (const end of [...this.streams]) end();
  }
}
