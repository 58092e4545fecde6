import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { Receiver } from '../support/receiver';
import { signedHeaders } from '../support/signing';

const SECRET = 'sink-log-secret';
jest.setTimeout(60_000);

// What a person watching the shipped process's log sees while a sink is down, with the default log level.
describe('the log while a sink is down (built process)', () => {
  let dir: string;
  let receiver: Receiver;
  let bridge: BridgeProcess | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-sink-log-'));
    receiver = await Receiver.start();
  });
  afterEach(async () => {
    await bridge?.stop();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['test', 'production'])('NODE_ENV=%s: warns when the sink goes down, once, and says when it is back', async (nodeEnv) => {
    receiver.always({ status: 503, body: 'down for maintenance' });
    const config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["${SECRET}"] }
delivery: { pollInterval: 50ms, circuit: { failures: 5, probeInitial: 50ms, probeMax: 200ms } }
retry: { attempts: 100, backoff: { initial: 50ms, max: 200ms } }
sinks: { hook: { type: http, url: "${receiver.url}/hook" } }
routes: [{ name: all, match: { events: ["*"] }, to: [hook] }]
`);
    bridge = await BridgeProcess.start(config, { NODE_ENV: nodeEnv });
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify(videoEvent('generated_video_success'));
      const res = await fetch(`${bridge.url}/webhooks/jogg`, { method: 'POST', body, headers: signedHeaders(body, SECRET) });
      expect(res.status).toBe(200);
    }
    await bridge.waitForOutput(/sink hook is down after 5 failed attempts in a row \(the last: HTTP 503: down for maintenance\)/, 20_000);
    const failing = receiver.requests.length;
    // keep it down for a while: several probes, no new warning line per probe
    const until = failing + 5;
    while (receiver.requests.length < until) await new Promise((resolve) => setTimeout(resolve, 50));
    receiver.always({ status: 200, body: 'ok' });
    await bridge.waitForOutput(/sink hook is back after [\d.]+ s \(\d+ failed attempts while down\)/, 20_000);
    expect(bridge.output.match(/sink hook is down/g)).toHaveLength(1);
    expect(bridge.output.match(/sink hook is back/g)).toHaveLength(1);
    expect(bridge.output).not.toMatch(/will retry/); // each retry stays at debug
    if (nodeEnv === 'production') expect(bridge.output).toMatch(/"level":"warn".*sink hook is down/);
  });
});
