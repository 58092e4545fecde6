export interface TestBroker {
  /** host:port of the PLAINTEXT listener */
  brokers: string;
  dir: string;
  /** graceful stop; data kept, so restart() brings the same broker back */
  stop(): Promise<void>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}
export function start(options?: { timeoutMs?: number; port?: number }): Promise<TestBroker>;
export function ensureJars(): string;
export const KAFKA_VERSION: string;
export const CACHE: string;
