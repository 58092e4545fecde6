import { kafkaSuite } from './kafka.suite';

// Kafka 3.9: the sink, its batching, its failure classes and a broker outage, against a real broker of that line.
kafkaSuite('3.9.1');
