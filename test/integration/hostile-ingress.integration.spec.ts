import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { openSqlite } from '../support/store';
import { BridgeProcess } from '../support/bridge-process';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'hostile-secret';
const now = () => Math.floor(Date.now() / 1000);
const envelope = (event: string, data = '{"video_id":"v"}') => `{"event":${JSON.stringify(event)},"timestamp":${now()},"data":${data}}`;
const CONTROL = '"event" must not contain control characters or line separators';

/** Hostile bodies, each signed correctly (so only the envelope checks stand between it and the store). */
const HOSTILE: [string, () => string | Buffer, string][] = [
  ['an event name with \\n', () => envelope('generated_video\nfailed'), CONTROL],
  ['an event name with \\r', () => envelope('generated_video_failed\r'), CONTROL],
  ['an event name with U+2028', () => envelope('a\u2028b'), CONTROL],
  ['an event name with U+2029', () => envelope('a\u2029b'), CONTROL],
  ['an event name with NUL', () => envelope('a\u0000b'), CONTROL],
  ['an event name with DEL', () => envelope('a\u007fb'), CONTROL],
  ['an event name with a C1 control', () => envelope('a\u0085b'), CONTROL],
  ['"event" twice', () => `{"event":"generated_video_success","event":"generated_video_failed","timestamp":${now()},"data":{}}`, 'duplicate key "event"'],
  ['"event_id" twice', () => `{"event_id":"a","event":"x","event_id":"b","timestamp":${now()},"data":{}}`, 'duplicate key "event_id"'],
  ['"timestamp" twice', () => `{"event":"x","timestamp":${now()},"timestamp":${now()},"data":{}}`, 'duplicate key "timestamp"'],
  ['"data" twice', () => `{"event":"x","timestamp":${now()},"data":{"a":1},"data":{"a":2}}`, 'duplicate key "data"'],
  ['100,000 levels of nesting', () => envelope('x', `${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'body is nested deeper than 32 levels'],
  ['a 10,000-character event name', () => envelope('x'.repeat(10_000)), '"event" must be at most 200 characters'],
  ['invalid UTF-8 inside a string', () => Buffer.concat([Buffer.from(envelope('x').slice(0, -2)), Buffer.from(',"s":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]), 'body is not valid UTF-8'],
];

describe('the built process under hostile webhook bodies', () => {
  let dir: string;
  let bridge: BridgeProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-hostile-'));
    receiver = await Receiver.start();
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
server: { requestTimeout: 1s }
store: { path: "${dir}/b.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  f: { type: file, path: "${dir}/f.jsonl" }
  hook: { type: http, url: "${receiver.url}/hook" }
routes: [{ name: all, match: { events: ["*"] }, to: [f, hook] }]
`);
    bridge = await BridgeProcess.start(config);
  });
  afterAll(async () => {
    await bridge?.stop();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(body: string | Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, SECRET) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it.each(HOSTILE)('refuses %s with 400 and its reason', async (_name, body, reason) => {
    const res = await post(body());
    expect(res).toEqual({ status: 400, json: { statusCode: 400, error: 'Bad Request', message: reason } });
  });

  it('never accepts and drops: an unusual but printable event name is stored, routed by "*" and delivered with encoded headers', async () => {
    const res = await post(envelope('视频_failed'));
    expect(res).toMatchObject({ status: 200, json: { status: 'accepted', deliveries: 2 } });
    const [request] = await waitFor(() => receiver.requests.length && receiver.requests, 15_000, 'the HTTP delivery');
    expect(request.headers['x-jogg-event']).toBe('%E8%A7%86%E9%A2%91_failed');
    expect(JSON.parse(request.body).event).toBe('视频_failed');
  });

  it('refuses a compressed body (Content-Encoding: gzip) with 415 and says to send it uncompressed (the last test: none stored)', async () => {
    const body = gzipSync(envelope('gzipped_event'));
    const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: { ...signedHeaders(body, SECRET), 'content-encoding': 'gzip' } });
    expect({ status: res.status, json: await res.json() }).toEqual({
      status: 415, json: { statusCode: 415, error: 'Unsupported Media Type', message: 'content encoding "gzip" is not supported: send the body uncompressed' },
    });
    const plain = envelope('identity_event');
    const identity = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: plain, headers: { ...signedHeaders(plain, SECRET), 'content-encoding': 'identity' } });
    expect(identity.status).toBe(200); // "identity" is no compression at all
    const blank = envelope('blank_encoding_event');
    const empty = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: blank, headers: { ...signedHeaders(blank, SECRET), 'content-encoding': ' ' } });
    expect(empty.status).toBe(200); // nor is an empty header
    const listed = envelope('identity_list_event');
    const list = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: listed, headers: { ...signedHeaders(listed, SECRET), 'content-encoding': 'identity, identity' } });
    expect(list.status).toBe(200); // nor a list of no compressions
    const mixed = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: listed, headers: { ...signedHeaders(listed, SECRET), 'content-encoding': 'identity, gzip' } });
    expect(mixed.status).toBe(415);
  });

  it('answers every refusal with one body shape, keys in one order (statusCode, error, message)', async () => {
    const stale = `{"event":"x","timestamp":${now() - 7 * 24 * 3600},"data":{}}`;
    const answers = await Promise.all([
      fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: stale, headers: signedHeaders(stale, SECRET) }),
      fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: '{}', headers: { ...signedHeaders('{}', SECRET) } }),
      fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-webhook-signature': 'bad' } }),
      fetch(`${bridge.url}/webhooks/jogg/nope`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
      fetch(`${bridge.url}/webhooks/jogg/a/b`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      fetch(`${bridge.url}/webhooks/jogg`),
    ]);
    expect(answers.map((r) => r.status)).toEqual([400, 400, 401, 404, 415, 404, 404]);
    for (const text of await Promise.all(answers.map((r) => r.text()))) expect(Object.keys(JSON.parse(text))).toEqual(['statusCode', 'error', 'message']);
  });

  /** Sends raw bytes on a fresh connection and returns the status line and JSON body it got before the bridge closed it. */
  async function raw(bytes: string): Promise<{ status: string; json: unknown }> {
    const { port } = new URL(bridge.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', reject);
      socket.write(bytes);
    });
    return { status: answer.slice(0, answer.indexOf('\r\n')), json: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) };
  }

  it('answers a request that never arrives whole with 408, and a malformed one with 400, in the same body shape', async () => {
    const trickle = await raw('POST /webhooks/jogg HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"ev');
    expect(trickle).toEqual({
      status: 'HTTP/1.1 408 Request Timeout',
      json: { statusCode: 408, error: 'Request Timeout', message: 'the request did not arrive whole within 1s (server.requestTimeout)' },
    });
    expect(Object.keys(trickle.json as object)).toEqual(['statusCode', 'error', 'message']);
    expect(await raw('GARBAGE\r\n\r\n')).toEqual({
      status: 'HTTP/1.1 400 Bad Request', json: { statusCode: 400, error: 'Bad Request', message: 'malformed HTTP request' },
    });
  });

  it('answers Expect: 100-continue with 413 at once when the declared body is over the limit, and asks for one within it', async () => {
    const tooBig = await raw('POST /webhooks/jogg HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: 2000000\r\n\r\n');
    expect(tooBig).toEqual({ status: 'HTTP/1.1 413 Payload Too Large', json: { statusCode: 413, error: 'Payload Too Large', message: 'body is larger than 1048576 bytes' } });
    const body = envelope('continue_event');
    const answer = await new Promise<{ continued: boolean; status?: number }>((resolve, reject) => {
      let continued = false;
      const req = request(`${bridge.url}/webhooks/jogg`, { method: 'POST', headers: { ...signedHeaders(body, SECRET), expect: '100-continue' } });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (res) => res.resume().on('end', () => resolve({ continued, status: res.statusCode })));
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer).toEqual({ continued: true, status: 200 });
  });

  it('accepts 32 levels of nesting', async () => {
    const res = await post(envelope('deep_ok', `{"a":${'['.repeat(30)}${']'.repeat(30)}}`));
    expect(res).toMatchObject({ status: 200, json: { status: 'accepted', deliveries: 2 } });
  });

  it('stored none of the refused bodies, and every stored event can be read back', async () => {
    await waitFor(() => readFileSync(join(dir, 'f.jsonl'), 'utf8').trim().split('\n').length === 6, 15_000, 'the six file deliveries');
    expect(await bridge.stop()).toBe(0);
    const store = await openSqlite(join(dir, 'b.db'));
    try {
      const events = await store.listEvents({ limit: 1000 });
      expect(events.map((e) => e.event).sort()).toEqual(['blank_encoding_event', 'continue_event', 'deep_ok', 'identity_event', 'identity_list_event', '视频_failed']);
    } finally {
      await store.close();
    }
  });
});

describe('the built process: admin JSON bodies nested too deep', () => {
  let dir: string;
  let bridge: BridgeProcess;
  const TOKEN = 'hostile-admin-token';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-hostile-admin-'));
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `store: { path: "${dir}/b.db" }\njogg: { secrets: ["${SECRET}"] }\nsinks: { f: { type: file, path: "${dir}/f.jsonl" } }\nroutes: [{ name: all, match: { events: ["*"] }, to: [f] }]\n`);
    bridge = await BridgeProcess.start(config, { BRIDGE_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await bridge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['/admin/routes/test', (deep: string) => envelope('x', deep)],
    ['/admin/replay', (deep: string) => `{"ids":${deep}}`],
  ])('%s answers 400, not 500, to 5,000 and 100,000 levels', async (path, body) => {
    for (const depth of [5_000, 100_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const res = await fetch(`${bridge.url}${path}`, { method: 'POST', body: body(deep), headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
      expect([depth, res.status, ((await res.json()) as { message: string }).message]).toEqual([depth, 400, 'body is nested deeper than 32 levels']);
    }
    expect(bridge.output).not.toMatch(/unexpected error|Maximum call stack/);
  });
});
