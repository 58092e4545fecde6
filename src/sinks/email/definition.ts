import { urlSecrets } from '../../common/credentials';
import { SinkDefinition } from '../core/definition';
import { EmailSinkConfig, EmailTemplates } from './email.config';

export const emailSink: SinkDefinition<EmailSinkConfig> = {
  type: 'email',
  configClass: EmailSinkConfig,
  templatesClass: EmailTemplates,
  templateFields: ['subject', 'text', 'html', 'group_subject', 'group_text', 'group_html'],
  groups: true,
  secrets: (config) => urlSecrets(config.smtp),
  // loaded when a sink of this type is configured: its client library stays out of memory otherwise
  create: (name, templates, config) => new (require('./email.sink') as typeof import('./email.sink')).EmailSink(name, templates, config),
};
