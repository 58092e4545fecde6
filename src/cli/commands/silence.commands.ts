import { Command, Help, Option, SubCommand } from 'nest-commander';
import { newSilence } from '../../alerting/silence-input';
import { formatMatcher, MatcherError } from '../../alerting/silence-match';
import { configuredNames, loadCliPartialConfig, withStore } from '../cli-context';
import { StoreSettings, whoServes } from '../../store/open-store';
import { CliError } from '../cli-error';
import { isoTime, notConfigured, parseId, print, printJson, table } from '../format';
import { BaseOptions, JsonCommand, ParentCommand } from './base.command';

interface AddOptions extends BaseOptions {
  match: string[];
  for?: string;
  until?: string;
  comment?: string;
  author?: string;
}

@SubCommand({ name: 'add', description: 'silence matching deliveries for a while: they are recorded "silenced", not sent' })
export class SilenceAddCommand extends JsonCommand<AddOptions> {
  async run(_params: string[], options: AddOptions): Promise<void> {
    const silence = await withStore(options.config, async (store) => {
      let input;
      try {
        input = newSilence({ matchers: options.match ?? [], for: options.for, until: options.until, comment: options.comment, createdBy: options.author ?? process.env.USER }, Date.now());
      } catch (error) {
        if (error instanceof MatcherError) throw new CliError(error.message);
        throw error;
      }
      return store.silences.addSilence(input, Date.now());
    });
    noteUnknownNames(silence.matchers, configuredNames(options.config));
    if (options.json) return printJson(silence);
    print(`silence ${silence.id} until ${isoTime(silence.endsAt)}: ${silence.matchers.map(formatMatcher).join(' ')}\n${whoApplies(loadCliPartialConfig(options.config).store)}`);
  }

  @Option({ flags: '-m, --match <matcher>', description: 'field=value, field!=value or field=~regex (event, data.error.code, route, sink, …); repeat: all must hold' })
  parseMatch(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--for <duration>', description: 'how long: 30m, 2h, 1d' })
  parseFor(value: string): string {
    return value;
  }

  @Option({ flags: '--until <date>', description: 'until this date (2026-11-30T18:00:00Z)' })
  parseUntil(value: string): string {
    return value;
  }

  @Option({ flags: '--comment <text>', description: 'why (required)' })
  parseComment(value: string): string {
    return value;
  }

  @Option({ flags: '--author <name>', description: 'who (default: $USER)' })
  parseAuthor(value: string): string {
    return value;
  }

  @Help('afterAll')
  example(): string {
    return "\nExample:\n  jogg-bridge silence add --match event=generated_video_failed --match data.error.code=18020 --for 2h --comment 'credits topped up'";
  }
}

@SubCommand({ name: 'list', description: 'silences in force or to come (--all: expired ones too)' })
export class SilenceListCommand extends JsonCommand<BaseOptions & { all?: boolean }> {
  async run(_params: string[], options: BaseOptions & { all?: boolean }): Promise<void> {
    const now = Date.now();
    const silences = await withStore(options.config, (store) => store.silences.listSilences({ now, all: options.all, limit: 1000 }));
    if (options.json) return printJson(silences);
    print(table(
      ['ID', 'STATE', 'MATCHERS', 'STARTS', 'ENDS', 'BY', 'COMMENT'],
      silences.map((s) => [s.id, s.endsAt <= now ? 'expired' : s.startsAt > now ? 'pending' : 'active', s.matchers.map(formatMatcher).join(' '),
        isoTime(s.startsAt), isoTime(s.endsAt), s.createdBy ?? '-', s.comment]),
    ));
  }

  @Option({ flags: '--all', description: 'expired silences too' })
  parseAll(): boolean {
    return true;
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge silence list --all --json';
  }
}

@SubCommand({ name: 'expire', arguments: '<id>', description: 'end a silence now' })
export class SilenceExpireCommand extends JsonCommand {
  async run([id]: string[], options: BaseOptions): Promise<void> {
    const expired = await withStore(options.config, (store) => store.silences.expireSilence(parseId(id), Date.now()));
    if (!expired) throw new CliError(`no silence ${id} in force`);
    if (options.json) return printJson({ id: Number(id), expired });
    print(`silence ${id} expired`);
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge silence expire 3';
  }
}

@Command({ name: 'silence', description: 'silences: hold matching alerts back for a while', subCommands: [SilenceAddCommand, SilenceListCommand, SilenceExpireCommand] })
export class SilenceCommand extends ParentCommand {}

/** Who will apply a new silence: the bridge serving the SQLite store, if one does; every bridge on a PostgreSQL store. */
function whoApplies(store: StoreSettings): string {
  const bridge = whoServes(store);
  if (bridge === 'several') return 'every bridge on this database applies it within a second';
  if (!bridge) return `no bridge serves ${store.path} now: the next one to start applies it`;
  return `the bridge serving ${store.path} (pid ${bridge.pid} on ${bridge.host}) applies it within a second`;
}

/** A silence on `sink=` or `route=` a name the config lacks holds nothing until one is added: say so (it is still added). */
function noteUnknownNames(matchers: readonly { field: string; op: string; value: string }[], names?: { sinks: string[]; routes: string[] }): void {
  if (!names) return;
  for (const { field, op, value } of matchers) {
    const known = field === 'sink' ? names.sinks : field === 'route' ? names.routes : undefined;
    if (op !== '=' || !known || known.includes(value)) continue;
    process.stderr.write(`note: ${notConfigured(field as 'sink' | 'route', value, known)}: this silence holds nothing until one is added\n`);
  }
}
