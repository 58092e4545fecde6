import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { defaultTemplateCases } from '../../test/support/default-template-cases';
import { ConsoleSinkConfig } from './console/console.config';
import { ConsoleSink } from './console/console.sink';
import { SinkEvent } from './core/sink';
import { EmailSinkConfig } from './email/email.config';
import { EmailSink } from './email/email.sink';
import { SlackSinkConfig } from './slack/slack.config';
import { SlackSink } from './slack/slack.sink';

/**
 * The default console, Slack and email templates, now in Liquid, print byte for byte what they printed
 * before: test/golden/default-templates.json was produced by the previous template engine on these cases.
 */
const golden = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'golden', 'default-templates.json'), 'utf8')) as Record<string, string>[];

describe('default templates', () => {
  const consoleSink = new ConsoleSink('c', {}, plainToInstance(ConsoleSinkConfig, { type: 'console' }));
  const slack = new SlackSink('s', {}, plainToInstance(SlackSinkConfig, { type: 'slack', url: 'http://127.0.0.1:9/' }, { exposeDefaultValues: true }));
  const email = new EmailSink('e', {}, plainToInstance(EmailSinkConfig, { type: 'email', smtp: 'smtp://127.0.0.1:9', from: 'a@example.com', to: ['b@example.com'] }, { exposeDefaultValues: true }));
  const cases = defaultTemplateCases();

  it('cover the same cases as the golden file', () => {
    expect(cases.map((c) => c.name)).toEqual(golden.map((g) => g.name));
  });

  it.each(cases.map((c, i) => [c.name, c, golden[i]] as const))('%s: byte-identical to the previous engine', (_name, { envelope }, expected) => {
    const event = { id: 7, deliveryId: 9, envelope, body: JSON.stringify(envelope), endpoint: null, receivedAt: Date.UTC(2025, 10, 26) } as SinkEvent;
    const mail = email.render(event);
    expect({ name: expected.name, console: consoleSink.render(event), slack: slack.render(event).text, subject: mail.subject, text: mail.text }).toEqual(expected);
  });
});
