import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedHeaders } from './signing';
import { waitFor } from './wait';

const ROOT = join(__dirname, '..', '..');
const LISTENING = /listening on http:\/\/[^:]+:(\d+)/;

export interface ProcessOptions {
  /** NODE_ENV=production: the JSON logger with production log levels, as deployed. */
  production?: boolean;
  /** Extra arguments for node before the entry point (e.g. `--require` of a test preload). */
  nodeArgs?: string[];
  /** Wait for /readyz to answer 200 before returning (default: only for the listening line). */
  ready?: boolean;
}

export interface HttpAnswer {
  /** 0 when there was no HTTP answer at all (connection refused or reset). */
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** The built bridge (dist/main.js) as a real child process, on a port the OS picks. */
export class BridgeProcess {
  output = '';
  url = '';
  /** Set by `launch`: the temp directory holding the config (and whatever the test puts there). */
  dir = '';
  configPath = '';
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(configPath: string, env: Record<string, string> = {}, timeoutMs = 20_000, options: ProcessOptions = {}): Promise<BridgeProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: options.production ? 'production' : 'test', BRIDGE_CONFIG: configPath, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new BridgeProcess(child);
    bridge.configPath = configPath;
    await bridge.waitForOutput(LISTENING, timeoutMs);
    bridge.url = `http://127.0.0.1:${LISTENING.exec(bridge.output)![1]}`;
    if (options.ready) await waitFor(async () => (await bridge.get('/readyz')).status === 200, timeoutMs, 'the bridge to be ready');
    return bridge;
  }

  /**
   * Writes `yaml` to a fresh temp directory (`${DIR}` in it, and in env values, is that directory) and starts
   * the bridge on it. `close()` stops the process and removes the directory.
   */
  static async launch(yaml: string, env: Record<string, string> = {}, options: ProcessOptions = {}): Promise<BridgeProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'jogg-process-'));
    const configPath = join(dir, 'bridge.yaml');
    writeFileSync(configPath, yaml.split('${DIR}').join(dir));
    try {
      const bridge = await BridgeProcess.start(configPath, env, 20_000, options);
      bridge.dir = dir;
      return bridge;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The exit code once the process has exited (null while it runs, or when a signal ended it). */
  get exitCode(): number | null {
    return this.child.exitCode;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Production log lines (JSON), parsed; lines that are not JSON are left out. */
  logLines(): { level: string; message: string; context?: string }[] {
    return this.output.split('\n').flatMap((line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed && typeof parsed === 'object' && 'level' in parsed ? [parsed] : [];
      } catch {
        return [];
      }
    });
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running) throw new Error(`bridge exited with ${this.child.exitCode ?? this.child.signalCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`bridge did not print ${pattern} in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    try {
      const res = await fetch(`${this.url}${path}`, { method, body, headers, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    } catch {
      return { status: 0, headers: new Headers(), body: undefined, text: '' };
    }
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a webhook body signed with `secret`. */
  webhook(body: object, secret: string): Promise<HttpAnswer> {
    const text = JSON.stringify(body);
    return this.request('POST', '/webhooks/jogg', text, signedHeaders(text, secret));
  }

  /** Sends a signal without waiting for an exit (SIGHUP, SIGSTOP, …). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }

  stop(): Promise<number | null> {
    if (!this.running) return this.exited;
    return this.kill('SIGTERM');
  }

  /** Stops the process (SIGTERM) and removes the directory `launch` made; resolves to the exit code. */
  async close(): Promise<number | null> {
    const code = await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    return code;
  }
}
