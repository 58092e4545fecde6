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
    return this.rendering(() => template.render(templateContextOf(event)).replace(/\r?\n/g, ' '));
  }

  async send(line: string): Promise<void> {
    this.out.write(`${line}\n`);
  }
}
