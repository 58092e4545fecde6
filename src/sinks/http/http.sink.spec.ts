import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { HttpSinkConfig } from './http.config';
import { headerValue, HttpSink } from './http.sink';
import { PermanentSinkError, SinkEvent, TransientSinkError } from '../core/sink';

const envelope = { event_id: 'e1', event: 'generated_video_failed', timestamp: 1764115200, data: { video_id: 'v1' } };
const event: SinkEvent = { id: 1, deliveryId: 7, endpoint: null, receivedAt: 0, body: JSON.stringify(envelope), envelope };

describe('HttpSink over a real port', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => handler(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const sink = (over: Record<string, unknown> = {}) => new HttpSink('h', {}, plainToInstance(HttpSinkConfig, { type: 'http', url, timeout: '300ms', ...over }));
  const outcome = (s: HttpSink) => s.send(s.render(event), event).then(() => 'delivered', (e) => e);

  it('posts the body with its headers over one kept-alive connection', async () => {
    const seen: { body: string; headers: IncomingMessage['headers']; port: number }[] = [];
    handler = (req, res, body) => {
      seen.push({ body, headers: req.headers, port: req.socket.remotePort! });
      res.end('ok');
    };
    const s = sink({ headers: { 'x-team': 'ops' } });
    expect(await outcome(s)).toBe('delivered');
    expect(await outcome(s)).toBe('delivered');
    expect(seen[0]).toMatchObject({ body: event.body, headers: { 'content-type': 'application/json', 'x-jogg-event': 'generated_video_failed', 'x-jogg-event-id': 'e1', 'x-team': 'ops' } });
    expect(seen[1].port).toBe(seen[0].port);
    await s.close();
  });

  it.each([
    ['signed', { sign: { secret: 'whsec_c2lnbmluZy1rZXktZm9yLXRlc3Rz' } }],
    ['unsigned', {}],
  ])('describes for previews exactly the headers it adds at send time (%s)', async (_, over) => {
    let sent: IncomingMessage['headers'] = {};
    handler = (req, res) => ((sent = req.headers), res.end('ok'));
    const s = sink(over);
    const message = s.render(event);
    expect(await outcome(s)).toBe('delivered');
    const added = Object.keys(sent).filter((name) => !(name in message.headers) && !['host', 'connection', 'content-length'].includes(name));
    const preview = s.headersAddedAtSend(event);
    expect(Object.keys(preview).sort()).toEqual(added.sort());
    expect(preview['webhook-attempt']).toBe(sent['webhook-attempt']);
    if ('sign' in over) expect(preview).toMatchObject({ 'webhook-id': sent['webhook-id'], 'webhook-signature': '[computed at send]' });
    await s.close();
  });

  it.each([
    ['non-ASCII', '视频_failed', 'e-视频'],
    ['CR/LF', 'a\r\nx-injected: 1', 'id\n2'],
    ['NUL, a space and a percent sign', 'a\u0000b c%d', '%41'],
  ])('delivers events whose name or id holds %s, percent-encoding those header values', async (_name, name, id) => {
    const seen: IncomingMessage['headers'][] = [];
    handler = (req, res) => {
      seen.push(req.headers);
      res.end('ok');
    };
    const odd = { ...envelope, event: name, event_id: id };
    const oddEvent = { ...event, envelope: odd, body: JSON.stringify(odd) };
    const s = sink();
    expect(await s.send(s.render(oddEvent), oddEvent).then(() => 'delivered', (e) => e)).toBe('delivered');
    expect(seen).toHaveLength(1);
    expect(seen[0]['x-injected']).toBeUndefined();
    expect(seen[0]['x-jogg-event']).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeURIComponent(seen[0]['x-jogg-event'] as string)).toBe(name);
    expect(decodeURIComponent(seen[0]['x-jogg-event-id'] as string)).toBe(id);
    await s.close();
  });

  it('passes snake_case ASCII names through unchanged', () => {
    expect(headerValue('generated_video_failed')).toBe('generated_video_failed');
    expect(headerValue('视频')).toBe('%E8%A7%86%E9%A2%91');
  });

  it('does not retry a request that cannot be sent (an illegal header value): a permanent failure', async () => {
    handler = (_req, res) => res.end('ok');
    const error = await outcome(sink({ headers: { 'x-team': 'ops\r\nx-evil: 1' } }));
    expect(error).toBeInstanceOf(PermanentSinkError);
    expect(error.message).toMatch(/^invalid request: .*x-team/);
  });

  it('gives up after the timeout, counting the wait for the whole answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('partial'); // never ends
    };
    const error = await outcome(sink());
    expect(error).toBeInstanceOf(TransientSinkError);
    expect(error.message).toBe(`timed out after 300 ms (${new URL(url).origin})`);
  });

  it('does not follow redirects: a 3xx is a permanent failure', async () => {
    handler = (_req, res) => res.writeHead(302, { location: '/elsewhere' }).end();
    const error = await outcome(sink());
    expect(error).toBeInstanceOf(PermanentSinkError);
    expect(error.message).toBe('HTTP 302');
  });

  it('retries 5xx and 429 (with Retry-After), and keeps only the start of a long error body', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down');
    const limited = await outcome(sink());
    expect(limited).toBeInstanceOf(TransientSinkError);
    expect([limited.message, limited.retryAfterMs]).toEqual(['HTTP 429: slow down', 7000]);
    handler = (_req, res) => res.writeHead(503).end('x'.repeat(100_000));
    const unavailable = await outcome(sink({ timeout: '10s' })); // 100 kB on a busy machine: about the body, not the clock
    expect(unavailable).toBeInstanceOf(TransientSinkError);
    expect(unavailable.message).toBe(`HTTP 503: ${'x'.repeat(200)}…`);
  });

  it('names network errors: a connection cut mid-answer, and a refused connection', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('short');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const cut = await outcome(sink());
    expect(cut).toBeInstanceOf(TransientSinkError);
    expect(cut.message).toMatch(/^network error: (ECONNRESET|aborted)/);
    const refused = await outcome(sink({ url: 'http://127.0.0.1:9/hook' }));
    expect(refused.message).toBe('network error: ECONNREFUSED (http://127.0.0.1:9)'); // where it tried; never the path or query
  });

  it('sends once more on a new connection when the kept-alive one is reset before any answer (the receiver closed it idle)', async () => {
    const seen: number[] = [];
    handler = (req, res) => {
      seen.push(req.socket.remotePort!);
      // the first request on a connection is answered and the connection kept; the second is reset unanswered,
      // as a receiver that closed the idle connection just as the next request arrived
      const served = ((req.socket as unknown as { served?: number }).served ?? 0) + 1;
      (req.socket as unknown as { served: number }).served = served;
      if (served === 1) res.end('ok');
      else req.socket.resetAndDestroy();
    };
    const s = sink();
    expect(await outcome(s)).toBe('delivered');
    expect(await outcome(s)).toBe('delivered');
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]); // reused, reset
    expect(seen[2]).not.toBe(seen[0]); // sent again on a new connection
    await s.close();
  });

  it('does not send twice when a reset comes on a fresh connection (nothing says the receiver did not act on it)', async () => {
    let requests = 0;
    handler = (req) => {
      requests++;
      req.socket.resetAndDestroy();
    };
    const s = sink();
    expect(await outcome(s)).toBeInstanceOf(TransientSinkError);
    expect(requests).toBe(1);
    await s.close();
  });
});
