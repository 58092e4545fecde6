import { urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { EmailSinkConfig, EmailTemplates } from './email.config';
import { EmailSink } from './email.sink';

export const emailSink: SinkDefinition<EmailSinkConfig> = {
  type: 'email',
  configClass: EmailSinkConfig,
  templatesClass: EmailTemplates,
  templateFields: ['subject', 'text', 'html', 'group_subject', 'group_text', 'group_html'],
  groups: true,
  secrets: (config) => urlSecrets(config.smtp),
  create: (name, templates, config) => new EmailSink(name, templates, config),
};
