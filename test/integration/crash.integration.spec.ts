import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../support/store';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { signedHeaders } from '../support/signing';
import { waitFor } from '../support/wait';

const SECRET = 'crash-test-secret';

/** Sends `count` signed events with `concurrency` requests in flight; returns the ids that got a 200. */
async function sendMany(url: string, count: number, concurrency: number, onAck?: (acked: number) => void): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const body = videoEvent(next % 3 ? 'generated_video_success' : 'generated_video_failed');
      const text = JSON.stringify(body);
      try {
        const res = await fetch(`${url}/webhooks/jogg`, { method: 'POST', body: text, headers: signedHeaders(text, SECRET) });
        await res.text();
        if (res.status === 200) {
          acknowledged.push(body.event_id);
          onAck?.(acknowledged.length);
        }
      } catch {
        // the process was killed mid-request: not acknowledged, so JoggAI would retry it
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acknowledged;
}

describe('crash durability (kill -9)', () => {
  let dir: string;
  let config: string;
  let bridge: BridgeProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-crash-'));
    config = join(dir, 'bridge.yaml');
    writeFileSync(config, `
store: { path: "${dir}/bridge.db" }
jogg: { secrets: ["\${JOGG_WEBHOOK_SECRET}"] }
delivery: { pollInterval: 100ms }
sinks:
  file: { type: file, path: "${dir}/events.jsonl" }
routes:
  - { name: all, match: { events: ["*"] }, to: [file] }
`);
  });
  afterEach(async () => {
    await bridge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // Lines a kill cut short: never acknowledged by the sink, so their events are delivered again.
  let torn: string[] = [];
  const parseLine = (line: string): string | undefined => {
    try {
      return JSON.parse(line).event_id;
    } catch {
      return undefined;
    }
  };

  const delivered = () => {
    torn = [];
    const file = join(dir, 'events.jsonl');
    if (!existsSync(file)) return new Map<string, number>();
    const counts = new Map<string, number>();
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.pop(); // a line is complete only once its newline is written
    for (const line of lines) {
      const id = parseLine(line);
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      else torn.push(line);
    }
    return counts;
  };

  async function expectAllStoredAndDelivered(acknowledged: string[]) {
    bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET });
    await waitFor(() => {
      const lines = delivered();
      return acknowledged.every((id) => lines.has(id));
    }, 20_000, 'every acknowledged event in the file sink');
    expect(torn.length).toBeLessThanOrEqual(1);
    const store = await openSqlite(join(dir, 'bridge.db'));
    try {
      const stored = new Set((await store.listEvents({ limit: 100_000 })).map((e) => e.eventId));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await store.close();
    }
  }

  it('keeps and delivers every event acknowledged before a kill right after the last 200', async () => {
    bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET });
    const acknowledged = await sendMany(bridge.url, 300, 30);
    await bridge.kill('SIGKILL');
    expect(acknowledged).toHaveLength(300);
    await expectAllStoredAndDelivered(acknowledged);
  });

  it('keeps and delivers every event acknowledged before a kill in the middle of the stream', async () => {
    bridge = await BridgeProcess.start(config, { JOGG_WEBHOOK_SECRET: SECRET });
    const victim = bridge;
    const acknowledged = await sendMany(victim.url, 600, 30, (acked) => {
      if (acked === 150) void victim.kill('SIGKILL');
    });
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);
    expect(acknowledged.length).toBeLessThan(600);
    await expectAllStoredAndDelivered(acknowledged);
  });
});
