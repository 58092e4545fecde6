import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './sqlite-connection';
import { yieldToMainThread } from './thread-priority';

/**
 * The checkpointer thread: copies what the WAL holds into the database file (a PASSIVE checkpoint: it never waits for,
 * nor blocks, the writer), every `everyMs`. SQLite would otherwise do it inside whichever commit crosses its threshold
 * (1,000 pages), holding that commit, and every webhook behind it, for the whole copy and the database file's fsync: about
 * a third of the writer's commit time on average, and the longest waits. The writer keeps a far threshold as a backstop
 * (should this thread fall behind, the WAL stays bounded).
 */
const { path, everyMs } = workerData as { path: string; everyMs: number };
yieldToMainThread();
// the shared connection settings (its small page cache too): a checkpoint reads pages through it
const db = openDatabase(path);

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // the disk is full or failing: the writer's own commits report that; its backstop checkpoint tries again
  }
}, everyMs);

parentPort!.on('close', () => {
  clearInterval(timer);
  db.close();
});
