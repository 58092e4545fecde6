import { Logger } from '@nestjs/common';
import { Admin, CompressionTypes, ConfigResourceTypes, IHeaders, Kafka, Partitioners, KafkaConfig, logLevel, Message, Producer, SASLOptions } from 'kafkajs';
import { KafkaSinkConfig } from './kafka.config';
import { Batcher, Outcome } from '../../common/batcher';
import { parseDuration } from '../../common/units';
import { StructuredTemplate, TemplateSet } from '../../templating';
import { PermanentSinkError, Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';

export interface KafkaRecord {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

const SENT: Outcome<void> = { ok: true, value: undefined };

/** Broker answers that retrying cannot fix. */
const PERMANENT = new Set([
  'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'SASL_AUTHENTICATION_FAILED', 'UNKNOWN_TOPIC_OR_PARTITION',
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_TOPIC_EXCEPTION', 'INVALID_RECORD', 'UNSUPPORTED_VERSION',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_REQUIRED_ACKS', 'POLICY_VIOLATION',
]);

/**
 * Answers after which the producer's id or sequence numbers no longer match the broker's: only a new
 * producer (a new id) can go on. Any other failure keeps the producer, so a batch kafkajs resends after a
 * leader change carries the same sequence numbers and the broker drops the copy it already has.
 */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'PRODUCER_FENCED']);

/** Kafka's legal topic names (and "." and ".." are reserved). */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Why `topic` cannot be produced to, or undefined when it can. */
export function topicProblem(topic: string): string | undefined {
  if (TOPIC.test(topic) && topic !== '.' && topic !== '..') return undefined;
  const shown = topic.length > 60 ? `${JSON.stringify(topic.slice(0, 60)).slice(0, -1)}…" (${topic.length} characters)` : JSON.stringify(topic);
  return `invalid Kafka topic ${shown}: a topic is 1 to 249 of a-z A-Z 0-9 . _ -`;
}

/**
 * Produces each event as one Kafka record with an idempotent producer and acks=all. Records that are
 * due together are sent as one batch (one produce request per broker), in the order they were claimed.
 */
export class KafkaSink extends Sink<KafkaRecord> {
  readonly type = 'kafka';
  /** Produce requests sent and records in them, as kafkajs reports them. */
  readonly stats = { produceRequests: 0, records: 0 };
  private readonly logger = new Logger(KafkaSink.name);
  private readonly kafka: Kafka;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  /** Sends started in one turn (and those started while a batch is out) go together. */
  private readonly batcher = new Batcher<KafkaRecord, void>({
    // Let every delivery claimed in this turn join the batch.
    gather: () => new Promise((resolve) => setImmediate(resolve)),
    flush: (records) => this.produceBatch(records),
  });

  constructor(name: string, templates: TemplateSet, private readonly config: KafkaSinkConfig) {
    super(name, templates);
    const timeout = parseDuration(config.timeout)!;
    const options: KafkaConfig = {
      clientId: config.clientId,
      brokers: config.brokers,
      ssl: config.ssl as KafkaConfig['ssl'],
      sasl: config.sasl as SASLOptions | undefined,
      connectionTimeout: Math.min(timeout, 10_000),
      requestTimeout: timeout,
      // The dispatcher owns retries and backoff; kafkajs only bridges short hiccups.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2000 },
      logLevel: logLevel.NOTHING,
    };
    this.kafka = new Kafka(options);
  }

  render(event: SinkEvent, overrides?: TemplateSet): KafkaRecord {
    return this.rendering(() => this.renderRecord(event, overrides));
  }

  private renderRecord(event: SinkEvent, overrides?: TemplateSet): KafkaRecord {
    const context = templateContextOf(event);
    const topic = this.template('topic', overrides)?.render(context) ?? this.config.topic;
    const key = this.template('key', overrides)?.render(context)
      ?? String(context.resource_id ?? event.envelope.event_id ?? `bridge-${event.id}`);
    const value = this.template('value', overrides)?.render(context) ?? event.body;
    const headers: Record<string, string> = {
      'jogg-event': event.envelope.event,
      ...(event.envelope.event_id ? { 'jogg-event-id': event.envelope.event_id } : {}),
      'content-type': 'application/json',
    };
    const extra = (this.template('headers') as StructuredTemplate | undefined)?.renderValue(context) as Record<string, string> | undefined;
    return { topic, key, headers: { ...headers, ...extra }, value };
  }

  send(record: KafkaRecord): Promise<void> {
    // A topic rendered from the event (`{{ event }}`) may be illegal: that record fails alone, for good,
    // before it can make the broker refuse the whole batch.
    const problem = topicProblem(record.topic);
    if (problem) return Promise.reject(new PermanentSinkError(problem));
    return this.batcher.add(record);
  }

  /** Sends started in one turn go out in one produce request; a key's records share a partition and its fate. */
  override get sendsTogetherInOrder(): boolean {
    return true;
  }

  /** Ready when the cluster answers metadata (for the topic, when it is not a template). */
  override async check(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topic = this.config.topic;
      if (/\{[{%]/.test(topic)) await admin.describeCluster(); // a template ({{ }} or {% %}): no one topic to ask for
      else await topicReady(admin, topic);
    } catch (error) {
      throw classify(error);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }


  override async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  /**
   * One batch, each record's own outcome. A permanent refusal of a batch may be one record's fault (too large,
   * say): each record then goes alone, in order, so only the records the broker refuses fail (at least once: a
   * record of another partition that the broker had taken may be written twice).
   */
  private async produceBatch(records: readonly KafkaRecord[]): Promise<Outcome<void>[]> {
    const failure = await this.produce(records);
    if (failure instanceof PermanentSinkError && records.length > 1) return this.produceOneByOne(records);
    return records.map(() => (failure ? { ok: false, error: failure } : SENT));
  }

  /**
   * Each record alone, in order; once a record of a key failed for a reason that may pass (it will be retried),
   * the later records of that key fail with it, so they are never written ahead of it.
   */
  private async produceOneByOne(records: readonly KafkaRecord[]): Promise<Outcome<void>[]> {
    const held = new Map<string, Error>();
    const outcomes: Outcome<void>[] = [];
    for (const record of records) {
      const failure = held.get(record.key) ?? (await this.produce([record]));
      if (failure instanceof TransientSinkError) held.set(record.key, failure);
      outcomes.push(failure ? { ok: false, error: failure } : SENT);
    }
    return outcomes;
  }

  /** Sends one batch; what it failed with (classified), or undefined when the broker took it. */
  private async produce(records: readonly KafkaRecord[]): Promise<Error | undefined> {
    try {
      const producer = await this.connect();
      await producer.sendBatch({
        acks: -1,
        compression: this.config.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        topicMessages: groupByTopic(records),
      });
      this.stats.records += records.length;
      return undefined;
    } catch (error) {
      if (PRODUCER_STATE_LOST.has((rootCause(error) as { type?: string }).type ?? '')) await this.reset();
      return classify(error);
    }
  }

  private connect(): Promise<Producer> {
    this.connecting ??= (async () => {
      // The partitioner is named (murmur2, as Java clients key records) so records of one key land where other
      // clients would put them, and kafkajs has nothing to warn about.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer.on(producer.events.REQUEST, ({ payload }) => {
        if (payload.apiName === 'Produce') this.stats.produceRequests += 1;
      });
      try {
        await producer.connect();
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect().catch((error: Error) => this.logger.debug?.(`disconnect: ${error.message}`));
  }
}

function groupByTopic(records: readonly KafkaRecord[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const record of records) {
    const messages = topics.get(record.topic) ?? [];
    messages.push({ key: record.key, value: record.value, headers: record.headers as IHeaders });
    topics.set(record.topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * The topic exists, or the broker will create it on the first produce (auto.create.topics.enable): a topic
 * that auto-creation will make is not a sink that is down. Only a missing topic the broker will not create is.
 */
async function topicReady(admin: Admin, topic: string): Promise<void> {
  try {
    await admin.fetchTopicMetadata({ topics: [topic] });
  } catch (error) {
    if ((rootCause(error) as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    if (await brokerCreatesTopics(admin)) return;
    throw new PermanentSinkError(`topic "${topic}" does not exist and the broker does not create topics (auto.create.topics.enable=false)`);
  }
}

/** Asks the controller for auto.create.topics.enable; when the broker will not say (ACLs), assumes Kafka's default (true). */
async function brokerCreatesTopics(admin: Admin): Promise<boolean> {
  try {
    const { controller } = await admin.describeCluster();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(controller), configNames: ['auto.create.topics.enable'] }],
    });
    const entry = resources[0]?.configEntries.find((e) => e.configName === 'auto.create.topics.enable');
    return entry ? entry.configValue === 'true' : true;
  } catch {
    return true;
  }
}

/** kafkajs errors → transient (retriable, broker unreachable) or permanent (authorization, unknown topic, too large). */
export function classify(error: unknown): TransientSinkError | PermanentSinkError {
  const root = rootCause(error);
  const type = (root as { type?: string }).type;
  const message = `${root.name === 'KafkaJSProtocolError' && type ? type : root.name}: ${root.message}`;
  if (type && PERMANENT.has(type)) return new PermanentSinkError(message);
  return new TransientSinkError(message);
}

function rootCause(error: unknown): Error {
  let current = error as Error & { originalError?: Error; cause?: Error };
  for (let i = 0; i < 5; i++) {
    const next = current.originalError ?? (current.name === 'KafkaJSNumberOfRetriesExceeded' ? current.cause : undefined);
    if (!next) break;
    current = next as typeof current;
  }
  return current;
}
