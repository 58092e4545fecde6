import { CommandRunner, Option } from 'nest-commander';
import { CliError } from '../cli-error';

export interface BaseOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Options every command understands. */
export abstract class BaseCommand<O extends BaseOptions = BaseOptions> extends CommandRunner {
  abstract override run(params: string[], options: O): Promise<void>;

  @Option({ flags: '-c, --config <file>', description: 'config file (default: $BRIDGE_CONFIG, else config/bridge.yaml)' })
  parseConfig(value: string): string {
    return value;
  }

  @Option({ flags: '--verbose', description: 'show stack traces on errors' })
  parseVerbose(): boolean {
    return true;
  }
}

/** Commands that can print JSON for scripts. */
export abstract class JsonCommand<O extends BaseOptions = BaseOptions> extends BaseCommand<O> {
  @Option({ flags: '--json', description: 'print JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}

/** A command that only groups subcommands (`silence add|list|expire`): a word it does not know is an error, not help. */
export abstract class ParentCommand extends CommandRunner {
  async run(params: string[]): Promise<void> {
    if (params.length) throw new CliError(`unknown command "${this.command.name()} ${params[0]}" (see jogg-bridge ${this.command.name()} --help)`);
    this.command.help();
  }
}
