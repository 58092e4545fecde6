export interface TestCluster {
  port: number;
  url(database: string): string;
  /** Creates a fresh database and returns its URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}
/** Starts a throw-away cluster; `settings` are extra server settings (name → value). */
export function start(settings?: Record<string, string | number>): Promise<TestCluster>;
