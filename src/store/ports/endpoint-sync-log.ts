/** What the last sync did to each configured JoggAI endpoint, kept so every instance's console shows it. */
export type EndpointSyncResult = 'in_sync' | 'created' | 'updated' | 'failed';

export interface EndpointSyncRecord {
  endpoint: string;
  result: EndpointSyncResult;
  /** When the sync that gave this result ran (ms since epoch). */
  at: number;
  /** Why it failed (failed only). */
  error: string | null;
}

export interface EndpointSyncStatus extends EndpointSyncRecord {
  /** The last time a sync left the endpoint in line with the config (kept through later failures). */
  lastOkAt: number | null;
}

export abstract class EndpointSyncLog {
  /** Replaces each endpoint's last result (one transaction). */
  abstract recordSync(records: readonly EndpointSyncRecord[]): Promise<void>;
  abstract listSync(): Promise<EndpointSyncStatus[]>;
}
