import { Command, Help } from 'nest-commander';
import { ConfigError, formatProblem } from '../../config/config.error';
import { loadConfig } from '../../config/config.loader';
import { LoadedConfig } from '../../config/loaded-config';
import { loadCliConfig } from '../cli-context';
import { print, printJson } from '../format';
import { BaseOptions, JsonCommand } from './base.command';
import { counted } from '../../common/units';

@Command({ name: 'check', description: 'validate the config offline: every problem with file:line:col and path; exit 0 valid, 1 invalid' })
export class CheckCommand extends JsonCommand {
  async run(_params: string[], options: BaseOptions): Promise<void> {
    const config = options.json ? loadOrReport(options.config) : loadCliConfig(options.config);
    if (!config) return;
    const summary = {
      valid: true,
      file: config.file,
      sinks: [...config.sinks.values()].map((s) => ({ name: s.name, type: s.config.type })),
      routes: config.routes.map((r) => ({ name: r.name, to: r.to })),
      secrets: config.jogg.secrets.length + config.jogg.endpoints.reduce((n, e) => n + e.secrets.length, 0),
      warnings: config.warnings.map(formatProblem),
    };
    if (options.json) return printJson(summary);
    print(`${config.file}: valid (${counted(summary.sinks.length, 'sink')}, ${counted(summary.routes.length, 'route')}, ${counted(summary.secrets, 'webhook secret')})`);
    if (!summary.secrets) print('warning: no webhook secret is configured; every webhook would be answered 401');
    for (const warning of summary.warnings) print(`warning: ${warning}`);
  }

  @Help('afterAll')
  example(): string {
    return '\nExamples:\n  jogg-bridge check\n  jogg-bridge check --config config/examples/http.yaml';
  }
}

/** With --json an invalid config is an answer, not a failure: its problems go to stdout as JSON, exit 1. */
function loadOrReport(path: string | undefined): LoadedConfig | undefined {
  try {
    return loadConfig({ path });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printJson({
      valid: false,
      file: error.file,
      problems: error.problems.map((p) => ({ file: p.file, line: p.line ?? null, column: p.col ?? null, path: p.path, message: p.message })),
    });
    process.exitCode = 1;
    return undefined;
  }
}
