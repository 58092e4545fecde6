import { ConsoleLogger, ConsoleLoggerOptions } from '@nestjs/common';
import { redactor } from '../config/secrets';

/**
 * Nest's console logger (JSON in production, readable otherwise) with a redaction list: any configured
 * secret, and anything that looks like a webhook signature or a bearer token, is replaced before a line
 * is written. Logging never throws: a logger that fails turns every error path into a crash.
 */
/** Nest's own start-up chatter (modules initialised, every route mapped): debug, not what a person reads at start. */
const NEST_STARTUP = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class RedactingLogger extends ConsoleLogger {
  private redactText = redactor([]);

  constructor(context: string, options: ConsoleLoggerOptions) {
    super(context, options);
  }

  setSecrets(secrets: readonly string[]): void {
    this.redactText = redactor(secrets);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && NEST_STARTUP.has(context)) return super.debug(message, ...rest);
    super.log(message, ...rest);
  }

  /**
   * Nest's ExceptionHandler logs, with its stack, the error that ends the start (a store that cannot be opened, a
   * store another bridge serves); the start command says it in one line itself. The stack stays at debug.
   */
  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && context === 'ExceptionHandler') return super.debug(message, ...rest);
    super.error(message, ...rest);
  }

  redact(text: unknown): string {
    return this.redactText(typeof text === 'string' ? text : String(text));
  }

  protected override formatMessage(...args: Parameters<ConsoleLogger['formatMessage']>): string {
    return this.redact(super.formatMessage(...args));
  }

  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    return this.redact(super.stringifyJsonLogObject(logObject));
  }

  /** Nest calls this for every error line, with `undefined` when the line has no stack. */
  protected override printStackTrace(stack: string | undefined): void {
    if (stack) super.printStackTrace(this.redact(stack));
  }
}
