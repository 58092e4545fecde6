import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config.loader';
import { appStore, StoreView } from './store';

export interface TestBridge {
  app: NestFastifyApplication;
  url: string;
  store: StoreView;
  dir: string;
  post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Starts the real bridge in this process on a loopback port, with the given YAML (in which ${DIR}
 * is a fresh temp directory for the store and file sinks).
 */
export async function startBridge(yaml: string, env: Record<string, string> = {}): Promise<TestBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-bridge-'));
  const file = join(dir, 'bridge.yaml');
  writeFileSync(file, yaml);
  const config = loadConfig({ path: file, env: { DIR: dir, ...env } });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    url,
    dir,
    store: appStore(app),
    async post(path, body, headers) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
