import { createInterface } from 'node:readline';
import { Command, CommandRunner, Help, Option, SubCommand } from 'nest-commander';
import { parseDuration } from '../../common/units';
import { JoggApiError } from '../../sync/jogg-api.client';
import { FakeJogg } from '../../sync/fake-jogg.server';
import { describePlan } from '../../sync/plan';
import { ApplyResult, SyncError } from '../../sync/sync.service';
import { withTools } from '../cli-context';
import { CliError } from '../cli-error';
import { print, printJson } from '../format';
import { BaseOptions, JsonCommand, ParentCommand } from './base.command';

/** Sync failures are one clear line; JoggAI's own code and message are kept. */
function asCliError(error: unknown): unknown {
  if (error instanceof SyncError || error instanceof JoggApiError) return new CliError(error.message);
  return error;
}

@SubCommand({ name: 'plan', description: 'show what sync would change at JoggAI; exit 0 in sync, 2 changes pending, 1 error' })
export class SyncPlanCommand extends JsonCommand {
  async run(_params: string[], options: BaseOptions): Promise<void> {
    const plan = await withTools(options.config, (tools) => tools.sync.plan()).catch((e) => Promise.reject(asCliError(e)));
    if (options.json) printJson(plan);
    else print(describePlan(plan) || 'no endpoints configured and none managed at JoggAI');
    if (plan.refusals.length) throw new CliError('the plan cannot be applied (see the lines starting with "!")');
    if (plan.pending) process.exitCode = 2;
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  JOGG_API_KEY=... jogg-bridge sync plan --config config/bridge.yaml';
  }
}

@SubCommand({ name: 'apply', description: 'make JoggAI match the config; stores the secrets JoggAI generates' })
export class SyncApplyCommand extends JsonCommand {
  async run(_params: string[], options: BaseOptions): Promise<void> {
    const result = await withTools(options.config, (tools) => tools.sync.apply()).catch((e) => Promise.reject(asCliError(e)));
    if (options.json) return printJson(result);
    print(result.done.length ? result.done.join('\n') : 'already in sync: nothing to do');
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  JOGG_API_KEY=... jogg-bridge sync apply';
  }
}

interface RotateOptions extends BaseOptions {
  finish?: boolean;
  grace: string;
}

@SubCommand({
  name: 'rotate',
  arguments: '<name>',
  description: "rotate an endpoint's secret: a second endpoint for the same events, both secrets valid, the old one deleted after the grace period (or --finish)",
})
export class SyncRotateCommand extends JsonCommand<RotateOptions> {
  async run([name]: string[], options: RotateOptions): Promise<void> {
    const graceMs = parseDuration(options.grace);
    if (graceMs === undefined) throw new CliError(`--grace takes a duration such as 30m or 1h, not "${options.grace}"`);
    const result = await withTools<ApplyResult | { created: string; until: number }>(options.config, (tools) =>
      options.finish ? tools.sync.finishRotation(name) : tools.sync.rotate(name, graceMs),
    ).catch((e) => Promise.reject(asCliError(e)));
    if (options.json) return printJson(result);
    if ('created' in result) print(`created ${result.created}; both secrets verify until ${new Date(result.until).toISOString()} (then sync apply deletes the old endpoint; --finish does it now)`);
    else print(result.done.length ? result.done.join('\n') : 'nothing to finish');
  }

  @Option({ flags: '--finish', description: 'end the rotation now: delete the older endpoint' })
  parseFinish(): boolean {
    return true;
  }

  @Option({ flags: '--grace <duration>', description: 'how long both secrets stay valid', defaultValue: '1h' })
  parseGrace(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return '\nExamples:\n  jogg-bridge sync rotate videos --grace 2h\n  jogg-bridge sync rotate videos --finish';
  }
}

@Command({ name: 'sync', description: "keep JoggAI's webhook endpoints aligned with the config", subCommands: [SyncPlanCommand, SyncApplyCommand, SyncRotateCommand] })
export class SyncCommand extends ParentCommand {}

interface FakeJoggOptions {
  port: number;
  host: string;
  apiKey: string;
  deliverTo?: string;
}

@Command({ name: 'fake-jogg', description: "a local stand-in for JoggAI's endpoint API that can also send signed webhooks (try the bridge without a JoggAI account)" })
export class FakeJoggCommand extends CommandRunner {
  async run(_params: string[], options: FakeJoggOptions): Promise<void> {
    const deliverTo = options.deliverTo;
    const fake = await FakeJogg.start({
      apiKey: options.apiKey,
      port: options.port,
      host: options.host,
      deliverTo: deliverTo ? (url) => url.replace(/^https:\/\/[^/]+/, deliverTo.replace(/\/+$/, '')) : undefined,
    });
    print(`JoggAI stand-in at ${fake.url} (x-api-key: the --api-key value). Type an event name and Enter to send it to every subscribed endpoint; Ctrl-C stops.`);
    // line by line: a paste of several names (one chunk) sends each of them
    const input = createInterface({ input: process.stdin, terminal: false });
    input.on('line', (line: string) => {
      const event = line.trim();
      if (!event) return;
      fake.emit(event).then(
        (sent) => print(sent.length ? sent.map((s) => `${event} → ${s.deliveredTo}: ${s.status}`).join('\n') : `${event}: no enabled endpoint subscribes to it`),
        (error: Error) => print(`${event}: ${error.message}`),
      );
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await fake.close();
    input.close();
    process.stdin.destroy(); // an open stdin would keep the process alive after Ctrl-C / SIGTERM
  }

  @Option({ flags: '-p, --port <port>', description: 'port to listen on', defaultValue: 4010 })
  parsePort(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--host <address>', description: 'address to listen on', defaultValue: '127.0.0.1' })
  parseHost(value: string): string {
    return value;
  }

  @Option({ flags: '-k, --api-key <key>', description: 'the API key it accepts', defaultValue: 'test-key' })
  parseKey(value: string): string {
    return value;
  }

  @Option({ flags: '--deliver-to <base-url>', description: 'send webhooks here instead of the public URL host, e.g. http://127.0.0.1:3000' })
  parseDeliverTo(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge fake-jogg --port 4010 --api-key test-key --deliver-to http://127.0.0.1:3000';
  }
}
