import { ConsoleSinkConfig } from '../config/sink-config';
import { templateContext } from '../rules/context';
import { compileTemplate } from '../rules/template';
import { TemplateSet } from '../rules/route';
import { Sink, SinkEvent } from './sink';

const DEFAULT_FORMAT = compileTemplate(
  '[jogg] {{ time }} {{ event }}{{#resource_id}} {{ resource_id }}{{/resource_id}}' +
    '{{#error_message}} error="{{ error_message }}"{{/error_message}}',
);

/** One line per event on standard output. */
export class ConsoleSink extends Sink<string> {
  readonly type = 'console';

  constructor(name: string, templates: TemplateSet, _config: ConsoleSinkConfig, private readonly out: NodeJS.WritableStream = process.stdout) {
    super(name, templates);
  }

  render(event: SinkEvent, overrides?: TemplateSet): string {
    const template = this.template('format', overrides) ?? DEFAULT_FORMAT;
    return template.render(templateContext(event)).replace(/\r?\n/g, ' ');
  }

  async send(line: string): Promise<void> {
    this.out.write(`${line}\n`);
  }
}
