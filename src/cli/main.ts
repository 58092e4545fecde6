import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliError } from './cli-error';
import { CliModule } from './cli.module';
import { redactText } from './format';

const VERSION: string = require('../../package.json').version;

/** `jogg-bridge <command>`: errors are one line on stderr (a stack trace with --verbose) and a non-zero exit. */
export async function runCli(): Promise<void> {
  await CommandFactory.run(CliModule, {
    cliName: 'jogg-bridge',
    version: VERSION,
    logger: false,
    // commander's own refusals (an unknown option or command) in the CLI's one format: "jogg-bridge: …"
    outputConfiguration: { outputError: (text: string, write: (text: string) => void) => write(text.replace(/^error: /, 'jogg-bridge: ')) },
    serviceErrorHandler: (error: Error) => {
      const verbose = process.argv.includes('--verbose');
      process.stderr.write(`jogg-bridge: ${redactText(verbose && error.stack ? error.stack : error.message)}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    },
  });
}

if (require.main === module) {
  runCli().catch((error: Error) => {
    process.stderr.write(`jogg-bridge: ${error.message}\n`);
    process.exit(1);
  });
}
