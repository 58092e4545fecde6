import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './sqlite-connection';
import { SqliteWriter, WriteOp } from './sqlite-writer';
import { yieldToMainThread } from './thread-priority';

/**
 * The writer thread: owns the connection that writes, so the fsync of each group commit happens here
 * while the main thread keeps answering requests.
 */
const { path, pragmas } = workerData as { path: string; pragmas: string[] };
yieldToMainThread();
const db = openDatabase(path, pragmas);
const writer = new SqliteWriter(db);

// Batches travel as JSON text: one string copy is cheaper than structured-cloning many small objects.
parentPort!.on('message', (batch: string) => {
  try {
    parentPort!.postMessage(JSON.stringify({ results: writer.run(JSON.parse(batch) as WriteOp[]) }));
  } catch (error) {
    const e = error as { message: string; code?: string };
    parentPort!.postMessage(JSON.stringify({ fatal: { message: e.message, code: e.code } }));
  }
});
parentPort!.on('close', () => db.close());

