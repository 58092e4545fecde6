import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

interface Held {
  body: string;
  answer(status: number): void;
}

/**
 * An HTTP receiver on a loopback port that holds the requests it is told to hold (the sender waits) until the
 * test answers them, and answers the others at once with `status`. For faults that must hit a send in flight.
 */
export class HoldingServer {
  readonly held: Held[] = [];
  readonly bodies: string[] = [];
  /** How many of the next requests to hold. */
  hold = 0;
  status = 200;
  url = '';
  private server?: Server;

  static async start(): Promise<HoldingServer> {
    const s = new HoldingServer();
    s.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        s.bodies.push(body);
        const answer = (status: number) => res.headersSent || res.writeHead(status).end(status < 300 ? 'ok' : 'no');
        if (s.hold > 0) {
          s.hold -= 1;
          s.held.push({ body, answer });
        } else {
          answer(s.status);
        }
      });
    });
    await new Promise<void>((resolve) => s.server!.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Event ids of every body received (also those held). */
  eventIds(): Set<string> {
    return new Set(this.bodies.map((b) => JSON.parse(b).event_id as string));
  }

  async close(): Promise<void> {
    this.held.splice(0).forEach((h) => h.answer(503));
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
