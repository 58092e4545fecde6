import { ConfigError } from './config.error';
import { loadConfig, loadPartialConfig, parseConfig } from './config.loader';

const problemsOf = (yaml: string, env: Record<string, string> = {}) => {
  try {
    parseConfig(yaml, 'bridge.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be refused');
};

const MINIMAL = `
sinks:
  out: { type: file, path: ./data/out.jsonl }
routes:
  - name: all
    match: { events: ["*"] }
    to: [out]
`;

describe('config loader', () => {
  it('warns (without refusing) when a sink has no more attempts than failures open its circuit', () => {
    const config = parseConfig(`retry: { attempts: 3 }
sinks:
  hook: { type: http, url: "http://127.0.0.1:9/x" }
  other: { type: http, url: "http://127.0.0.1:9/y", retry: { attempts: 20 } }
routes: []
`, 'bridge.yaml', {});
    expect(config.warnings.map((w) => `${w.line}:${w.col} ${w.path}`)).toEqual(['1:20 retry.attempts']);
    expect(config.warnings[0].message).toMatch(/^3 attempts for every sink without its own retry are not more than delivery.circuit.failures \(5\)/);
    expect(parseConfig('sinks: { hook: { type: http, url: "http://127.0.0.1:9/x" } }\nroutes: []\n', 'bridge.yaml', {}).warnings).toEqual([]);
  });

  it('loads the shipped default config with every default filled in', () => {
    const config = loadConfig({ path: 'config/bridge.yaml', env: { JOGG_WEBHOOK_SECRET: 's3cret' } });
    expect(config.server).toEqual({ port: 3000, host: '0.0.0.0', bodyLimit: 1_048_576, maxEventAgeMs: 259_200_000, maxFutureSkewMs: 300_000, requestTimeoutMs: 10_000, idleTimeoutMs: 120_000, drainTimeMs: 1000 });
    expect(config.store).toEqual({ driver: 'sqlite', path: './data/bridge.db', poolSize: 10, retentionMs: 604_800_000 });
    expect(config.jogg.secrets).toEqual(['s3cret']);
    expect([...config.sinks.keys()]).toEqual(['events-file', 'console']);
    expect(config.routes.map((r) => [r.name, r.to])).toEqual([['everything-to-file', ['events-file']], ['failures-to-console', ['console']]]);
    expect(config.delivery).toEqual({ concurrency: 8, pollIntervalMs: 1000, leaseMs: 60_000 });
  });

  it('drops empty secrets, so an unset JOGG_WEBHOOK_SECRET leaves the keyring empty', () => {
    expect(loadConfig({ path: 'config/bridge.yaml', env: {} }).jogg.secrets).toEqual([]);
  });

  it('takes BRIDGE_CONFIG for the path and PORT over the file', () => {
    expect(() => loadConfig({ env: { BRIDGE_CONFIG: 'does/not/exist.yaml' } })).toThrow('does/not/exist.yaml');
    expect(loadConfig({ path: 'config/bridge.yaml', env: { PORT: '4567' } }).server.port).toBe(4567);
    expect(() => loadConfig({ path: 'config/bridge.yaml', env: { PORT: 'eighty' } })).toThrow('PORT must be an integer');
  });

  it('interpolates ${VAR} and ${VAR:-default} in values, typing a whole-value reference', () => {
    const config = parseConfig(`server:\n  port: \${P:-8080}\n  host: "\${H:-127.0.0.1}"\n${MINIMAL}`, 'f', { P: '9000' });
    expect(config.server.port).toBe(9000);
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('reports every problem at once, each with line, column and path', () => {
    const yaml = [
      'server:',
      '  port: 99999',
      '  colour: blue',
      'sinks:',
      '  out: { type: file, path: ./x }',
      '  hook: { type: http, url: "not a url", sign: { secret: plain } }',
      '  odd: { type: smoke }',
      'routes:',
      '  - name: failures',
      '    match: { events: ["*_failed", "bad glob"], where: { "data.n": { gt: "x" } } }',
      '    to: [out, slak]',
      '    http: { body: "{{ data.x | nope }}" }',
      '  - name: failures',
      '    match: { events: [] }',
      '    to: [out]',
      '    extra: ${MISSING}',
    ].join('\n');
    expect(problemsOf(yaml)).toEqual([
      '2:9 server.port: port must not be greater than 65535',
      '3:3 server.colour: unknown key "colour" (valid keys: port, host, bodyLimit, maxEventAge, maxFutureSkew, requestTimeout, idleTimeout, drainTime)',
      '6:28 sinks.hook.url: url must be a URL address',
      '6:57 sinks.hook.sign.secret: must be a Standard Webhooks secret: "whsec_" and at least 16 bytes of base64',
      '7:16 sinks.odd.type: type must be one of: http, file, console, kafka, slack, email',
      '10:35 routes[0].match.events[1]: bad event pattern "bad glob": use letters, digits, "_", "-", "." and the wildcards "*" and "?"',
      '10:73 routes[0].match.where["data.n"].gt: "gt" takes a number',
      '11:15 routes[0].to[1]: unknown sink "slak" (known: out, hook)',
      '12:19 routes[0].http.body: template does not compile: unknown filter "nope" (did you mean "pop"?) (at character 1)',
      '13:11 routes[1].name: duplicate route name "failures"',
      '14:22 routes[1].match.events: events must list at least one',
      '16:5 routes[1].extra: unknown key "extra" (valid keys: name, match, to, continue, group, active_time, http, file, console, kafka, slack, email)',
      '16:12 : environment variable MISSING is not set (write ${MISSING:-} to allow it to be empty)',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problemsOf('server:\n  port: 1\n  port: 2\n')).toEqual([expect.stringMatching(/^3:3 : Map keys must be unique/)]);
    expect(problemsOf('routes: [\n')[0]).toMatch(/^2:1 /);
    expect(problemsOf('- just\n- a list\n')).toEqual(['1:1 : the file must be a YAML mapping (key: value)']);
  });

  it('suggests the valid key for a misspelt one, from the keys valid at that path', () => {
    const yaml = [
      'sinks:',
      '  k: { type: kafka, brokers: [b], topic: t, tpoic: x }',
      'routes:',
      '  - name: a',
      '    match: { events: ["*"] }',
      '    to: [k]',
      '    contine: false',
      '    kafka: { tpoic: y }',
    ].join('\n');
    expect(problemsOf(yaml)).toEqual([
      '2:45 sinks.k.tpoic: unknown key "tpoic" (did you mean "topic"?)',
      '7:5 routes[0].contine: unknown key "contine" (did you mean "continue"?)',
      '8:14 routes[0].kafka.tpoic: unknown key "tpoic" (did you mean "topic"?)',
    ]);
  });

  it('shows a YAML syntax error with file:line:col, the offending line and a caret under the column', () => {
    const yaml = 'routes:\n  - name: a\n    to: [out\n    match: { events: ["*"] }\n';
    const message = (() => {
      try {
        parseConfig(yaml, 'bridge.yaml', {});
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const lines = message!.split('\n');
    const [, line, col] = /^  bridge\.yaml:(\d+):(\d+)  /.exec(lines[1])!;
    expect(lines[2]).toBe(`      ${yaml.split('\n')[Number(line) - 1]}`);
    expect(lines[3]).toBe(`      ${' '.repeat(Number(col) - 1)}^`);
  });

  it('does not echo a line that may hold a secret under a syntax error', () => {
    const errorOf = (yaml: string) => {
      try {
        parseConfig(yaml, 'bridge.yaml', {});
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected the config to be refused');
    };
    const cases: [string, number][] = [
      ['jogg:\n  apiKey: abc-very-secret\n   x: y\n', 2],
      ['jogg:\n  secrets:\n  - ok\n  - abc-very-secret\n   x: y\n', 4],
      ['jogg:\n  secrets:\n    - ok\n    - abc-very-secret\n     x: y\n', 4],
      ['sinks:\n  hook:\n    type: http\n    sign:\n      secret:\n        - abc-very-secret\n         x: y\n', 6],
      ['sinks:\n  mail:\n    type: email\n    smtp: "smtp://u:abc-very-secret@h:25" oops: [\n', 4],
      ['sinks:\n  a: { type: http, endpoint: "https://u:abc-very-secret@h/x" } x\n', 2],
      ['sinks:\n  a: { type: http, target: "https://h/x?v=1&access_token=abc-very-secret" } x\n', 2],
    ];
    for (const [yaml, line] of cases) {
      const error = errorOf(yaml);
      expect(error.problems[0].line).toBe(line); // the error is on the secret's line...
      expect(error.message).not.toContain('very-secret'); // ...which is not shown
    }
    // an ordinary line is still shown
    expect(errorOf('routes:\n  - name: a\n    to: x\n     y: z\n').message).toContain('    to: x\n');
  });

  it('refuses an alias without its anchor at the alias, with its path', () => {
    expect(problemsOf('sinks:\n  a: { type: http, url: *b }\nroutes: []\n')).toEqual(['2:25 sinks.a.url: Unresolved alias (the anchor must be set before the alias): b']);
  });

  it('says why a file cannot be read', () => {
    expect(() => loadConfig({ path: 'does/not/exist.yaml', env: {} })).toThrow('does/not/exist.yaml  cannot read: no such file (ENOENT)');
  });

  it('warns about a bare-number duration under a second (milliseconds, as documented, but likely meant as seconds)', () => {
    const config = parseConfig(`delivery: { pollInterval: 50 }
sinks:
  hook: { type: http, url: "http://127.0.0.1:9/x", timeout: 5 }
  alerts: { type: slack, url: "https://hooks.slack.com/services/T/B/x", group: { wait: 30s, interval: 2000 } }
routes:
  - { name: a, match: { events: ["*_failed"] }, to: [alerts], group: { wait: 30, interval: 500ms } }
`, 'bridge.yaml', {});
    expect(config.warnings.map((w) => `${w.line}:${w.col} ${w.path}: ${w.message}`).sort()).toEqual([
      '1:27 delivery.pollInterval: 50 is 50 ms (a bare number is milliseconds): write 50ms to mean that, or 50s for seconds',
      '3:61 sinks.hook.timeout: 5 is 5 ms (a bare number is milliseconds): write 5ms to mean that, or 5s for seconds',
      '6:78 routes[0].group.wait: 30 is 30 ms (a bare number is milliseconds): write 30ms to mean that, or 30s for seconds',
    ]);
  });

  it('never puts an interpolated secret into an error message', () => {
    const yaml = `sinks:\n  hook: { type: http, url: "\${HOOK_URL}" }\nroutes: []\n`;
    const problems = problemsOf(yaml, { HOOK_URL: 'not-a-url-but-very-secret-token' });
    expect(problems.join('\n')).not.toContain('very-secret-token');
  });
});

describe('partial config (store and server only)', () => {
  const { mkdtempSync, rmSync, writeFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const dir = mkdtempSync(`${require('node:os').tmpdir()}/partial-`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const write = (yaml: string) => {
    const file = `${dir}/bridge-${n++}.yaml`;
    writeFileSync(file, yaml);
    return file;
  };
  const yaml = [
    'server:',
    '  port: ${P:-4000}',
    '  host: "${H}"',
    'store: { path: "${DIR}/bridge.db", retention: 1d }',
    'sinks: { slack: { type: slack, url: "${SLACK_WEBHOOK_URL}", tpoic: x } }',
    'routes: [{ name: a, match: { events: ["*"] }, to: [nowhere] }]',
  ].join('\n');

  it('interpolates those two sections and ignores unset variables and mistakes elsewhere', () => {
    const config = loadPartialConfig({ path: write(yaml), env: { DIR: '/var/lib/bridge', H: '127.0.0.2' } });
    expect(config.store).toMatchObject({ driver: 'sqlite', path: '/var/lib/bridge/bridge.db', retentionMs: 86_400_000 });
    expect(config.server).toEqual({ port: 4000, host: '127.0.0.2' });
    expect(loadPartialConfig({ path: write(yaml), env: { DIR: '/d', H: 'h', PORT: '5000' } }).server.port).toBe(5000);
  });

  it('still reports problems in them, with their position', () => {
    expect(() => loadPartialConfig({ path: write(yaml), env: { H: 'h' } })).toThrow(/:4:\d+  environment variable DIR is not set/);
    expect(() => loadPartialConfig({ path: write('store: { drvier: postgres }\n'), env: {} })).toThrow('store.drvier: unknown key "drvier" (did you mean "driver"?)');
  });
});

describe('shipped example configs', () => {
  const { readdirSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  it.each(readdirSync('config/examples').filter((f) => f.endsWith('.yaml')))('%s is valid', (file) => {
    expect(() => loadConfig({ path: `config/examples/${file}`, env: {} })).not.toThrow();
  });
});
