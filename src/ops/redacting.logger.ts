import { ConsoleLogger, ConsoleLoggerOptions } from '@nestjs/common';
import { redactor } from '../config/secrets';

/**
 * Nest's console logger (JSON in production, readable otherwise) with a redaction list: any configured
 * secret, and anything that looks like a webhook signature or a bearer token, is replaced before a line
 * is written.
 */
export class RedactingLogger extends ConsoleLogger {
  private redactText = redactor([]);

  constructor(context: string, options: ConsoleLoggerOptions) {
    super(context, options);
  }

  setSecrets(secrets: readonly string[]): void {
    this.redactText = redactor(secrets);
  }

  redact(text: string): string {
    return this.redactText(text);
  }

  protected override formatMessage(...args: Parameters<ConsoleLogger['formatMessage']>): string {
    return this.redact(super.formatMessage(...args));
  }

  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    return this.redact(super.stringifyJsonLogObject(logObject));
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(this.redact(stack));
  }
}
