import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { classify, topicProblem } from './kafka.sink';
import { PermanentSinkError, TransientSinkError } from '../core/sink';

// kafkajs's own error classes, built the way its protocol layer builds them.
const protocol = (type: string, retriable: boolean) => new KafkaJSProtocolError({ message: type.toLowerCase(), type, code: 0, retriable } as never);

describe('Kafka error classification', () => {
  it.each([
    ['TOPIC_AUTHORIZATION_FAILED', false],
    ['SASL_AUTHENTICATION_FAILED', false],
    ['MESSAGE_TOO_LARGE', false],
    ['UNKNOWN_TOPIC_OR_PARTITION', true],
  ])('%s is permanent', (type, retriable) => {
    expect(classify(protocol(type, retriable))).toBeInstanceOf(PermanentSinkError);
    expect(classify(new KafkaJSNumberOfRetriesExceeded(protocol(type, retriable), { retryCount: 2, retryTime: 100 }))).toBeInstanceOf(PermanentSinkError);
  });

  it.each([
    ['a lost connection', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' } as never)],
    ['a leader election', protocol('LEADER_NOT_AVAILABLE', true)],
    ['exhausted retries of a timeout', new KafkaJSNumberOfRetriesExceeded(protocol('REQUEST_TIMED_OUT', true), { retryCount: 2, retryTime: 100 })],
    ['a non-retriable wrapper of a connection error', new KafkaJSNonRetriableError(new KafkaJSConnectionError('Connection timeout'))],
  ])('%s is transient', (_name, error) => {
    expect(classify(error)).toBeInstanceOf(TransientSinkError);
  });

  it('names the broker error type in the message', () => {
    expect(classify(protocol('MESSAGE_TOO_LARGE', false)).message).toBe('MESSAGE_TOO_LARGE: message_too_large');
  });
});

describe('Kafka topic names', () => {
  it.each(['jogg.events', 'jogg.events.generated_video_failed', 'A-b_c.9', 'x'.repeat(249)])('accepts %s', (topic) => {
    expect(topicProblem(topic)).toBeUndefined();
  });

  it.each(['', '.', '..', 'a b', 'jogg.events.视频', 'a/b', 'a\nb', 'x'.repeat(250)])('refuses %p', (topic) => {
    expect(topicProblem(topic)).toMatch(/^invalid Kafka topic ".*"( \(\d+ characters\))?: a topic is 1 to 249 of a-z A-Z 0-9 \. _ -$/s);
  });
});
