import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { startBridge, TestBridge } from '../support/bridge';
import { joggSignature } from '../support/signing';

const SECRET = 'property-secret';
const LIMIT = 16 * 1024;

interface Case {
  body: Buffer;
  contentType?: string;
  signature: 'valid' | 'absent' | string;
  eventHeader?: string;
}

const now = () => Math.floor(Date.now() / 1000);

/** One POST over a kept-alive node:http connection (much lighter per request than fetch, over 10,000 cases). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Bodies of every kind an attacker or a broken client could send. */
const bodies: fc.Arbitrary<Buffer> = fc.oneof(
  fc.string().map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  { arbitrary: fc.record({ event: fc.string({ minLength: 1 }), data: fc.dictionary(fc.string(), fc.jsonValue()) }).map((e) =>
    Buffer.from(JSON.stringify({ event: e.event, timestamp: now(), data: e.data })),
  ), weight: 4 },
  fc.record({ id: fc.option(fc.string({ minLength: 1 }), { nil: undefined }), data: fc.object() }).map((e) =>
    Buffer.from(JSON.stringify({ event_id: e.id, event: 'generated_video_success', timestamp: now(), data: e.data })),
  ),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.constantFrom(
    '{"event":"a","event":"b","timestamp":1,"data":{}}',
    `{"event":"x","timestamp":1e400,"data":{}}`,
    `{"event":"x","timestamp":${now()},"data":{"n":123456789012345678901234567890}}`,
    `{"event":"x","timestamp":${now()},"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{}}}}`,
    '\uFEFF{"event":"x"}',
  ).map((s) => Buffer.from(s)),
  fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
  fc.integer({ min: LIMIT - 10, max: LIMIT + 10 }).map((n) => Buffer.alloc(n, 0x20)),
);

const contentTypes = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 8 },
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
  fc.constant(undefined),
  fc.string({ maxLength: 30 }).filter((s) => /^[\x21-\x7e]*$/.test(s)),
);

const signatures = fc.oneof(
  { arbitrary: fc.constant('valid'), weight: 4 },
  fc.constant('absent'),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
  fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
);

describe('ingress under hostile input (property-based)', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge(`
server: { bodyLimit: ${LIMIT} }
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 1h }
routes: []
`);
  });
  afterAll(async () => {
    agent.destroy();
    await bridge.close();
  });

  /** Events are only ever added, with growing ids: the newest id tells whether a case stored one, in constant time. */
  const newestEventId = async () => (await bridge.store.listEvents({ limit: 1 }))[0]?.id ?? 0;

  it('never answers 5xx, never stores without a valid signature, and answers each class with its 4xx', async () => {
    const counts: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, signatures, fc.option(fc.string({ maxLength: 20 }).filter((s) => /^[\x21-\x7e]*$/.test(s)), { nil: undefined }), async (body, contentType, signature, eventHeader) => {
        const testCase: Case = { body, contentType, signature, eventHeader };
        const headers: Record<string, string> = {};
        if (contentType !== undefined) headers['content-type'] = contentType;
        if (signature === 'valid') headers['x-webhook-signature'] = joggSignature(body, SECRET);
        else if (signature !== 'absent') headers['x-webhook-signature'] = signature;
        if (eventHeader !== undefined) headers['x-webhook-event'] = eventHeader;
        const before = await newestEventId();
        const res = await post(`${bridge.url}/webhooks/jogg`, body, headers);
        counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
        const stored = (await newestEventId()) !== before ? 1 : 0;
        const context = JSON.stringify({ ...testCase, body: body.toString('utf8').slice(0, 200), status: res.statusCode, answer: res.body.slice(0, 200) });
        if (res.statusCode >= 500) throw new Error(`5xx: ${context}`);
        if (![200, 400, 401, 413, 415].includes(res.statusCode)) throw new Error(`unexpected status: ${context}`);
        const json = contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);
        if (body.length > 0 && !json && res.statusCode !== 415) throw new Error(`expected 415: ${context}`);
        if (json && body.length > LIMIT && res.statusCode !== 413) throw new Error(`expected 413: ${context}`);
        if (signature !== 'valid' && res.statusCode === 200) throw new Error(`accepted without a valid signature: ${context}`);
        if (signature !== 'valid' && stored !== 0) throw new Error(`stored without a valid signature: ${context}`);
        if (json && body.length <= LIMIT && body.length > 0 && signature !== 'valid' && res.statusCode !== 401) throw new Error(`expected 401: ${context}`);
        if (res.statusCode !== 200 && stored !== 0) throw new Error(`stored on a refusal: ${context}`);
        if (res.statusCode === 400 && !JSON.parse(res.body).message) throw new Error(`400 without a reason: ${context}`);
      }),
      { numRuns: 10_000 },
    );
    console.log(`ingress property test: status counts over 10,000 cases ${JSON.stringify(counts)}`);
    expect(counts[200]).toBeGreaterThan(100);
    expect(counts[400]).toBeGreaterThan(100);
  }, 300_000);
});
