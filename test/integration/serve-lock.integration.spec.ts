import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeProcess } from '../support/bridge-process';
import { ROOT } from '../support/cli';

const CONFIG = `
store: { path: "\${DIR}/bridge.db" }
jogg: { secrets: ["serve-lock-webhook-secret"] }
sinks: { out: { type: console } }
routes: [{ name: all, match: { events: ["*"] }, to: [out] }]
`;
/** A first start: the store's folder does not exist yet. */
const FRESH = `
store: { path: "\${DIR}/data/new/bridge.db" }
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
      expect(refused.stderr.trim().split('\n')).toHaveLength(1); // one line, no stack
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

  it('takes the lock on a first start too, when the store\'s folder does not exist yet', async () => {
    const first = await BridgeProcess.launch(FRESH);
    try {
      expect(existsSync(join(first.dir, 'data', 'new', 'bridge.db.serving'))).toBe(true);
      const refused = secondServer(first.configPath);
      expect([refused.status, refused.stderr]).toEqual([1, expect.stringContaining(`the SQLite store ${first.dir}/data/new/bridge.db is already served by another bridge (pid ${first.pid}`)]);
    } finally {
      await first.close();
    }
  }, 60_000);

  it('refuses to start on a store it cannot open, in one line naming the file and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-lock-'));
    try {
      writeFileSync(join(dir, 'afile'), 'not a folder');
      writeFileSync(join(dir, 'notadb'), 'not a database, just text long enough to fill a header page of sixteen bytes or more');
      for (const [path, reason] of [
        [`${dir}/afile/sub/bridge.db`, 'a part of its folder path is a file, not a folder (ENOTDIR)'],
        [`${dir}/notadb`, 'it is not an SQLite database (SQLITE_NOTADB)'],
        [dir, 'it is a folder, not a file (SQLITE_CANTOPEN)'],
      ]) {
        const configPath = join(dir, 'bridge.yaml');
        writeFileSync(configPath, `store: { path: "${path}" }\njogg: { secrets: ["serve-lock-webhook-secret"] }\n`);
        const run = secondServer(configPath);
        expect([run.status, run.stderr]).toEqual([1, `jogg-bridge: cannot open the SQLite store ${path}: ${reason}\n`]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
