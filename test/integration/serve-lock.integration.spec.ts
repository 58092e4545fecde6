import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { ROOT } from '../support/cli';

const CONFIG = `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["serve-lock-webhook-secret"] }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`;

/** A second `node dist/main.js` on the same SQLite file, started while the first runs. */
function secondServer(configPath: string) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', BRIDGE_CONFIG: configPath, PORT: '0' }, encoding: 'utf8', timeout: 20_000,
  });
}

/** SQLite takes one serving instance: a second server on its file is refused while the first lives (dist/main.js). */
describe('one server per SQLite store', () => {
  it('refuses a second server on the same file with the reason, and takes over once the first is killed (-9)', async () => {
    const first = await BridgeProcess.launch(CONFIG);
    let second: BridgeProcess | undefined;
    try {
      const refused = secondServer(first.configPath);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`jogg-bridge: the SQLite store ${first.dir}/bridge.db is already served by another bridge (pid ${first.pid}`);
      expect(refused.stderr).toContain('use PostgreSQL to run several');
      expect((await first.get('/readyz')).status).toBe(200); // the first one serves on, untouched

      await first.kill('SIGKILL'); // a crash leaves the lock file behind: the next start takes over
      expect(existsSync(join(first.dir, 'bridge.db.serving'))).toBe(true);
      second = await BridgeProcess.start(first.configPath, {}, 20_000, { ready: true });
      expect(await second.stop()).toBe(0);
      expect(existsSync(join(first.dir, 'bridge.db.serving'))).toBe(false); // a clean stop gives it back
    } finally {
      await second?.stop();
      await first.close();
    }
  }, 60_000);
});
