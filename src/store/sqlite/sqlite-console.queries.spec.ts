import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleQueriesContract } from '../../../test/integration/console-queries.contract';
import { SqliteConsoleQueries } from './sqlite-console.queries';
import { openSqlite } from '../../../test/support/store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

consoleQueriesContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-console-q-'));
  dirs.push(dir);
  const path = join(dir, 'bridge.db');
  const store = await openSqlite(path, { owner: true });
  return { store, queries: new SqliteConsoleQueries(path) };
});
