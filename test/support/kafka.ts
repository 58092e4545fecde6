import { Consumer, EachMessagePayload, Kafka, logLevel } from 'kafkajs';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** A real kafkajs consumer that collects every record of the given topics from the beginning. */
export class Collector {
  readonly records: ConsumedRecord[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string, topics: (string | RegExp)[]): Promise<Collector> {
    const kafka = new Kafka({ clientId: 'test-collector', brokers: [brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `collector-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const collector = new Collector(consumer);
    await consumer.run({
      eachMessage: async ({ topic, partition, message }: EachMessagePayload) => {
        collector.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    return collector;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export async function createTopic(brokers: string, topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
  const admin = new Kafka({ clientId: 'test-admin', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
    });
  } finally {
    await admin.disconnect();
  }
}
