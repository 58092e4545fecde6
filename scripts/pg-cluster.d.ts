export interface TestCluster {
  port: number;
  url(database: string): string;
  /** Creates a fresh database and returns its URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}
export function start(): Promise<TestCluster>;
