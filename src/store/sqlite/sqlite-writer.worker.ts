import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './sqlite-connection';
import { SqliteWriter, WriteOp } from './sqlite-writer';

/**
 * The writer thread: owns the connection that writes, so the fsync of each group commit happens here
 * while the main thread keeps answering requests.
 */
const WRITER_NICE = 10;
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

/**
 * A lower priority (nice 10) for this thread only (Linux: a thread id is a pid to setpriority). Waking it with a batch
 * otherwise lets the kernel run it at once in place of the main thread (wakeup preemption): on a busy two-core machine
 * the main thread's postMessage then took 0.5 ms on average and up to 5 ms, and the webhooks waiting behind it with
 * it. The writer still gets every idle core; it yields only when the main thread wants the CPU too. Where there is no
 * /proc (not Linux) nothing changes.
 */
function yieldToMainThread(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WRITER_NICE);
  } catch {
    /* not Linux, or not allowed: the default priority */
  }
}
