import { kafkaSuite } from './kafka.suite';

// Kafka 4.4: the sink, its batching, its failure classes and a broker outage, against a real broker of that line.
kafkaSuite('4.4.0');
