export interface TestBroker {
  /** host:port of the PLAINTEXT listener */
  brokers: string;
  dir: string;
  /** the Kafka version it runs */
  version: string;
  /** graceful stop; data kept, so restart() brings the same broker back */
  stop(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}
export function start(options?: { timeoutMs?: number; port?: number; version?: string }): Promise<TestBroker>;
export function ensureJars(version?: string): string;
/** The versions the test suite runs against. */
export const TESTED_VERSIONS: string[];
export const KAFKA_VERSION: string;
export const CACHE: string;
