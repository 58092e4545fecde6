import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The built bridge (dist/main.js) as a real child process, on a port the OS picks. */
export class BridgeProcess {
  output = '';
  url = '';
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(configPath: string, env: Record<string, string> = {}, timeoutMs = 20_000): Promise<BridgeProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', BRIDGE_CONFIG: configPath, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new BridgeProcess(child);
    await bridge.waitForOutput(/listening on http:\/\/[^:]+:(\d+)/, timeoutMs);
    const port = /listening on http:\/\/[^:]+:(\d+)/.exec(bridge.output)![1];
    bridge.url = `http://127.0.0.1:${port}`;
    return bridge;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`bridge exited with ${this.child.exitCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`bridge did not print ${pattern} in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }

  stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    return this.kill('SIGTERM');
  }
}
