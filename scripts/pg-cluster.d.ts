export interface TestCluster {
  port: number;
  url(database: string): string;
  /** Creates a fresh database and returns its URL. */
  database(name: string): Promise<string>;
  /** `pg_ctl restart -m fast` (without blocking the event loop). */
  restart(): Promise<void>;
  /** Stops the server (fast), keeping its data; `startServer` starts it again on the same port. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Stops the server and removes the cluster. */
  stop(): Promise<void>;
}
/** Starts a throw-away cluster; `settings` are extra server settings (name → value). */
export function start(settings?: Record<string, string | number>): Promise<TestCluster>;
