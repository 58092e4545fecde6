import { Command, Help } from 'nest-commander';
import { formatProblem } from '../../config/config.error';
import { loadCliConfig } from '../cli-context';
import { print, printJson } from '../format';
import { BaseOptions, JsonCommand } from './base.command';

@Command({ name: 'check', description: 'validate the config offline: every problem with file:line:col and path; exit 0 valid, 1 invalid' })
export class CheckCommand extends JsonCommand {
  async run(_params: string[], options: BaseOptions): Promise<void> {
    const config = loadCliConfig(options.config);
    const summary = {
      file: config.file,
      valid: true,
      sinks: [...config.sinks.values()].map((s) => ({ name: s.name, type: s.config.type })),
      routes: config.routes.map((r) => ({ name: r.name, to: r.to })),
      secrets: config.jogg.secrets.length + config.jogg.endpoints.reduce((n, e) => n + e.secrets.length, 0),
      warnings: config.warnings.map(formatProblem),
    };
    if (options.json) return printJson(summary);
    print(`${config.file}: valid (${summary.sinks.length} sinks, ${summary.routes.length} routes, ${summary.secrets} webhook secrets)`);
    if (!summary.secrets) print('warning: no webhook secret is configured; every webhook would be answered 401');
    for (const warning of summary.warnings) print(`warning: ${warning}`);
  }

  @Help('afterAll')
  example(): string {
    return '\nExamples:\n  jogg-bridge check\n  jogg-bridge check --config config/examples/http.yaml';
  }
}
