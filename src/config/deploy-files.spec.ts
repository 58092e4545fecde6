import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from './config.loader';

// The container files cannot be run on the build machines (no Docker engine): check what can be checked.
describe('Docker and compose files', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'));

  it('compose parses, and the bridge service points at a config that loads', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bridge', 'kafka', 'mailpit']);
    const env = compose.services.bridge.environment as Record<string, string>;
    const configPath = env.BRIDGE_CONFIG.replace('/app/', '');
    expect(existsSync(configPath)).toBe(true);
    const config = loadConfig({ path: configPath, env: { JOGG_WEBHOOK_SECRET: 'x', KAFKA_BROKERS: 'kafka:9092', SMTP_URL: 'smtp://mailpit:1025' } });
    expect([...config.sinks.keys()]).toEqual(['stream', 'ops-mail', 'console']);
  });

  it('the Dockerfile runs as a non-root user on Node 22 with a health check', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
