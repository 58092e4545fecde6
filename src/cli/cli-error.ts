/** A failure to report as one line (no stack trace unless --verbose), with the exit code to use. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}
