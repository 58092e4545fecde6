import { urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { EmailSinkConfig, EmailTemplates } from './email.config';
import { EmailSink } from './email.sink';

export const emailSink: SinkDefinition<EmailSinkConfig> = {
  type: 'email',
  configClass: EmailSinkConfig,
  templatesClass: EmailTemplates,
  templateFields: ['subject', 'text', 'html'],
  secrets: (config) => urlSecrets(config.smtp),
  create: (name, templates, config) => new EmailSink(name, templates, config),
};
