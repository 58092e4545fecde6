import { SinkDefinition } from '../core/definition';
import { FileSinkConfig, FileTemplates } from './file.config';
import { FileSink } from './file.sink';

export const fileSink: SinkDefinition<FileSinkConfig> = {
  type: 'file',
  configClass: FileSinkConfig,
  templatesClass: FileTemplates,
  templateFields: ['format'],
  secrets: () => [],
  create: (name, templates, config) => new FileSink(name, templates, config),
};
