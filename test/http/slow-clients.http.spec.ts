import { connect, Socket } from 'node:net';
import { startBridge, TestBridge } from '../support/bridge';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { sleep, waitFor } from '../support/wait';

const SECRET = 'slow-secret';

describe('slow and idle clients', () => {
  let bridge: TestBridge;
  let port: number;
  beforeAll(async () => {
    bridge = await startBridge(`
server: { requestTimeout: 1s, idleTimeout: 30s }
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
routes: []
`);
    port = Number(new URL(bridge.url).port);
  });
  afterAll(() => bridge.close());

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', reject);
    });

  it('cuts off a request that trickles its body, and stores nothing', async () => {
    const body = JSON.stringify(videoEvent());
    const headers = signedHeaders(body, SECRET);
    const socket = await open();
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write(
      `POST /webhooks/jogg HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: ${headers['content-type']}\r\n` +
        `x-webhook-signature: ${headers['x-webhook-signature']}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    // One byte every 100 ms: the whole body would take far longer than the 1 s request timeout.
    let sent = 0;
    while (sent < body.length && !closed) {
      socket.write(body[sent++]);
      await sleep(100);
    }
    await waitFor(() => closed, 10_000, 'the bridge to close the connection');
    expect(sent).toBeLessThan(body.length); // cut off by the bridge, not finished by the client
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      statusCode: 408, error: 'Request Timeout', message: 'the request did not arrive whole within 1s (server.requestTimeout)',
    });
    expect(await bridge.store.listEvents({})).toEqual([]);
  });

  it('keeps answering real requests while hundreds of connections sit idle', async () => {
    const idle = await Promise.all(Array.from({ length: 500 }, () => open()));
    try {
      const body = JSON.stringify(videoEvent());
      const res = await bridge.post('/webhooks/jogg', body, signedHeaders(body, SECRET));
      expect(res.status).toBe(200);
      expect(idle.filter((socket) => socket.destroyed || socket.readyState !== 'open')).toHaveLength(0);
    } finally {
      idle.forEach((socket) => socket.destroy());
    }
  });
});
