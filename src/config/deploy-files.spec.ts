import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from './config.loader';

// The container files cannot be run on the build machines (no Docker engine): check what can be checked.
describe('Docker and compose files', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'));

  it('compose parses, and the bridge service points at a config that loads', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bridge', 'jogg', 'kafka', 'mailpit', 'postgres']);
    expect(compose.services.postgres.profiles).toEqual(['postgres']);
    const env = compose.services.bridge.environment as Record<string, string>;
    const configPath = env.BRIDGE_CONFIG.replace('/app/', '');
    expect(existsSync(configPath)).toBe(true);
    const config = loadConfig({ path: configPath, env });
    expect(config.jogg.sync.auto).toBe(true);
    expect(compose.services.jogg.command).toEqual(expect.arrayContaining(['fake-jogg', '--deliver-to', 'http://bridge:3000']));
    expect([...config.sinks.keys()]).toEqual(['stream', 'ops-mail', 'console']);
  });

  it('the Dockerfile runs as a non-root user on Node 22 with a health check', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });

  it('the image runs node with the same V8 flags as `npm start`', () => {
    const start = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))![1]) as string[];
    expect(cmd).toEqual(start.split(' ').filter((word) => word !== 'exec'));
  });
});
