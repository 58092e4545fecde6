import { SinkDefinition } from '../core/definition';
import { KafkaSinkConfig, KafkaTemplates } from './kafka.config';
import { KafkaSink } from './kafka.sink';

export const kafkaSink: SinkDefinition<KafkaSinkConfig> = {
  type: 'kafka',
  configClass: KafkaSinkConfig,
  templatesClass: KafkaTemplates,
  templateFields: ['topic', 'key', 'value', 'headers'],
  typedLeafFields: ['value'],
  // the record key orders a partition, so it is the order key too
  orderKeyField: 'key',
  secrets: (config) => (config.sasl ? [config.sasl.password] : []),
  create: (name, templates, config) => new KafkaSink(name, templates, config),
};
