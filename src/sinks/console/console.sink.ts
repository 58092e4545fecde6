import { ConsoleSinkConfig } from './console.config';
import { compileTemplate, TemplateSet } from '../../templating';
import { Sink, SinkEvent, templateContextOf } from '../core/sink';

const DEFAULT_FORMAT = compileTemplate(
  '[jogg] {{ time }} {{ event }}{% if resource_id %} {{ resource_id }}{% endif %}' +
    '{% if error_message %} error="{{ error_message }}"{% endif %}',
);

/** One line per event on standard output. */
export class ConsoleSink extends Sink<string> {
  readonly type = 'console';

  constructor(name: string, templates: TemplateSet, _config: ConsoleSinkConfig, private readonly out: NodeJS.WritableStream = process.stdout) {
    super(name, templates);
  }

  render(event: SinkEvent, overrides?: TemplateSet): string {
    const template = this.template('format', overrides) ?? DEFAULT_FORMAT;
    return this.rendering(() => visible(template.render(templateContextOf(event)).replace(/\r?\n/g, ' ')));
  }

  async send(line: string): Promise<void> {
    this.out.write(`${line}\n`);
  }
}

/**
 * Control characters from a payload written to a terminal as they are would act on it (clear the screen, recolour,
 * ring, move the cursor, forge a line): shown as escapes instead (`\x1b`, `\u2028`). Tabs stay.
 */
function visible(line: string): string {
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
