import { readFileSync } from 'node:fs';
import { Command, Help, Option, SubCommand } from 'nest-commander';
import { JoggEnvelope } from '../../common/jogg-event';
import { DryRunResult } from '../../delivery/dry-run.service';
import { AlertingDecision, alertingDecision, describeDecision, withDecisions } from '../../alerting/decision';
import { EnvelopeError, parseEnvelope } from '../../ingress/envelope';
import { withTools } from '../cli-context';
import { CliError } from '../cli-error';
import { notConfigured, print, printJson } from '../format';
import { BaseOptions, JsonCommand, ParentCommand } from './base.command';

interface RoutesTestOptions extends BaseOptions {
  event?: string;
  data?: string;
  expect?: string;
}

@SubCommand({
  name: 'test',
  arguments: '[fixture]',
  description: 'show which routes an event matches and what each sink would send, without sending anything',
  argsDescription: { fixture: 'a JSON file with a JoggAI webhook body' },
})
export class RoutesTestCommand extends JsonCommand<RoutesTestOptions> {
  async run([fixture]: string[], options: RoutesTestOptions): Promise<void> {
    const envelope = readEvent(fixture, options);
    let names: string[] = [];
    const result = await withTools(options.config, async (tools) => {
      names = tools.config.routes.map((route) => route.name);
      const run = tools.dryRun.run(envelope);
      // alerting: grouping, silences and active time, as the serving bridge would decide them now
      const now = Date.now();
      const input = {
        groups: tools.config.groups,
        silences: await tools.silences.listSilences({ now }),
        openGroups: await tools.groups.listGroups({ state: 'open', limit: 1000 }),
      };
      return withDecisions(run, (route, sink) => alertingDecision(input, route, tools.config.sinks.get(sink)!, envelope, now));
    });
    if (options.json) printJson(result);
    else print(describe(result));
    if (options.expect !== undefined) expectRoutes(result, options.expect, names);
  }

  @Option({ flags: '-e, --event <name>', description: 'the event name, instead of a fixture file' })
  parseEvent(value: string): string {
    return value;
  }

  @Option({ flags: '-d, --data <json>', description: 'the event data as JSON, with --event (default: {})' })
  parseData(value: string): string {
    return value;
  }

  @Option({ flags: '--expect <routes>', description: 'comma-separated route names that must be exactly the ones matched (any order); exit 1 otherwise' })
  parseExpect(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return [
      '',
      'Examples:',
      '  jogg-bridge routes test test/fixtures/jogg/generated_video_failed.json',
      `  jogg-bridge routes test --event generated_image_failed --data '{"photo_id":"p1","error":"bad prompt"}' --json`,
      '  jogg-bridge routes test my-event.json --expect everything-to-file,failures-to-console',
    ].join('\n');
  }
}

@Command({ name: 'routes', description: 'work with routing rules', subCommands: [RoutesTestCommand] })
export class RoutesCommand extends ParentCommand {}

function readEvent(fixture: string | undefined, options: RoutesTestOptions): JoggEnvelope {
  if (fixture && options.event) throw new CliError('give either a fixture file or --event, not both');
  if (fixture) {
    let raw: Buffer;
    try {
      raw = readFileSync(fixture);
    } catch (error) {
      throw new CliError(`cannot read ${fixture}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    return parse(raw, fixture);
  }
  if (!options.event) throw new CliError('give a fixture file or --event <name>');
  const data = options.data === undefined ? '{}' : options.data;
  const body = `{"event":${JSON.stringify(options.event)},"timestamp":${Math.floor(Date.now() / 1000)},"data":${data}}`;
  return parse(Buffer.from(body), '--data');
}

function parse(raw: Buffer, source: string): JoggEnvelope {
  try {
    return parseEnvelope(raw);
  } catch (error) {
    if (error instanceof EnvelopeError) throw new CliError(`${source}: ${error.message}`);
    throw error;
  }
}

function describe(result: DryRunResult): string {
  const lines = [`event ${result.event}${result.eventId ? ` (event_id ${result.eventId})` : ''}`];
  if (!result.routes.length) return [...lines, 'no route matches: the event would be stored as unrouted'].join('\n');
  lines.push(`matches ${result.routes.length} route(s): ${result.routes.map((r) => r.route).join(', ')}`);
  for (const route of result.routes) {
    for (const delivery of route.deliveries) {
      lines.push('', `${route.route} → ${delivery.sink} (${delivery.type})`);
      const alerting = (delivery as { alerting?: AlertingDecision }).alerting;
      if (alerting) lines.push(`  [${describeDecision(alerting)}]`);
      const text = typeof delivery.message === 'string' ? delivery.message : JSON.stringify(delivery.message, null, 2);
      lines.push(...text.split('\n').map((line) => `  ${line}`));
    }
  }
  return lines.join('\n');
}

function expectRoutes(result: DryRunResult, expected: string, configured: readonly string[]): void {
  const want = expected.split(',').map((r) => r.trim()).filter(Boolean);
  const got = result.routes.map((r) => r.route);
  if ([...want].sort().join('\n') === [...got].sort().join('\n')) return;
  // a name no route has is a typo in the expectation (or the route was renamed): say so, not only that it did not match
  const unknown = want.filter((name) => !configured.includes(name)).map((name) => `; ${notConfigured('route', name, configured)}`);
  throw new CliError(`expected routes [${want.join(', ')}] but the event matches [${got.join(', ')}]${unknown.join('')}`);
}
