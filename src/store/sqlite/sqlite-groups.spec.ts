import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertGroupsContract } from '../../../test/integration/alert-groups.contract';
import { silencesContract } from '../../../test/integration/silences.contract';
import { SqliteEventStore } from './sqlite-event.store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

alertGroupsContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-groups-'));
  dirs.push(dir);
  const path = join(dir, 'bridge.db');
  const opened = () => {
    const store = new SqliteEventStore(path, { owner: true });
    return { store, groups: store.groups };
  };
  return { ...opened(), reopen: async () => opened() };
});

silencesContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jogg-silences-'));
  dirs.push(dir);
  const store = new SqliteEventStore(join(dir, 'bridge.db'), { owner: true });
  return { store, silences: store.silences };
});
