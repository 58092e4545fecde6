import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { videoEvent } from '../support/fixtures';
import { waitFor } from '../support/wait';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'modules-secret';

/** The modules a built bridge on the shipped config (config/bridge.yaml) loaded by the time it exited. */
async function modulesOfShippedConfig(): Promise<string[]> {
  const yaml = readFileSync(join(ROOT, 'config', 'bridge.yaml'), 'utf8').split('./data/').join('${DIR}/');
  const preload = ['--require', join(__dirname, '..', 'support', 'modules-preload.js')];
  const reportDir = mkdtempSync(join(tmpdir(), 'jogg-modules-'));
  const report = join(reportDir, 'modules.json');
  const bridge = await BridgeProcess.launch(yaml, { JOGG_WEBHOOK_SECRET: SECRET, MODULES_REPORT: report }, { ready: true, nodeArgs: preload });
  try {
    // the serve path once through: a webhook accepted, stored and delivered to the file sink
    expect((await bridge.webhook(videoEvent(), SECRET)).status).toBe(200);
    await waitFor(() => existsSync(join(bridge.dir, 'events.jsonl')), 10_000, 'the delivery to the file sink');
    expect(await bridge.stop()).toBe(0);
    return JSON.parse(readFileSync(report, 'utf8')) as string[];
  } finally {
    await bridge.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

describe('what the serving process loads (shipped config)', () => {
  it('loads only the class-validator decorators it uses, and no client library of a sink it does not have', async () => {
    const modules = await modulesOfShippedConfig();
    const files = (part: string) => modules.filter((file) => file.includes(part));
    const packages = new Set(modules.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
    // the config is validated with class-validator's decorators, from their own files
    expect(files('/class-validator/cjs/decorator/typechecker/IsString.js')).toHaveLength(1);
    // not from its index, which loads every decorator and with them libphonenumber-js and all of validator.js
    expect(files('/class-validator/cjs/index.js')).toEqual([]);
    // nor the client library of a sink type the config does not use
    const unused = ['libphonenumber-js', 'kafkajs', 'nodemailer', '@slack/webhook', 'pg'];
    expect(unused.filter((name) => packages.has(name))).toEqual([]);
  });
});
