import Database from 'better-sqlite3';

/** What arrived, by key: the sequence numbers in arrival order. */
export function byKey(arrivals: readonly { key: string; seq: number }[]): Map<string, number[]> {
  const keys = new Map<string, number[]>();
  for (const { key, seq } of arrivals) keys.set(key, [...(keys.get(key) ?? []), seq]);
  return keys;
}

/**
 * Per-key order as a receiver sees it under at-least-once: within each key the sequence never goes back (a copy of
 * an event sent again after a crash can only follow right after itself). Returns the keys where it went back.
 */
export function outOfOrder(keys: Map<string, number[]>): string[] {
  return [...keys].filter(([, seqs]) => seqs.some((seq, i) => i > 0 && seq < seqs[i - 1])).map(([key]) => `${key}: ${seqs(keys.get(key)!)}`);
}

const seqs = (list: number[]) => list.join(',');

/** How many arrivals were copies of one already received. */
export function duplicates(keys: Map<string, number[]>): number {
  let copies = 0;
  for (const list of keys.values()) copies += list.length - new Set(list).size;
  return copies;
}

/** Deliveries by status, read straight from the SQLite file (the bridge may be running). */
export function deliveryStatus(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status`).all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    db.close();
  }
}

/** Attempts that failed, in all (the attempts history). */
export function failedAttempts(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM attempts WHERE outcome <> 'delivered'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
