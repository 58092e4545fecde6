import { Database as Db } from 'better-sqlite3';
import { NewSilence, Silence, Silences } from '../ports/silences';
import { SilenceRow, toSilence } from '../row-mapper';
import { SqliteEngine } from './sqlite-engine';

/** The writer thread's side of silences. */
export function addSilence(db: Db, silence: NewSilence, now: number): Silence {
  const row = db.prepare(
    `INSERT INTO silences (matchers, starts_at, ends_at, comment, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(JSON.stringify(silence.matchers), silence.startsAt, silence.endsAt, silence.comment, silence.createdBy, now) as SilenceRow;
  return toSilence(row);
}

export function expireSilence(db: Db, id: number, now: number): boolean {
  return db.prepare(`UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?`).run(now, id, now).changes > 0;
}

/** The silences port on SQLite: reads on the main thread's connection; writes go to the writer thread. */
export class SqliteSilences extends Silences {
  constructor(private readonly engine: SqliteEngine) {
    super();
  }

  private get db(): Db {
    return this.engine.db;
  }

  addSilence(silence: NewSilence, now: number): Promise<Silence> {
    return this.engine.write({ kind: 'addSilence', silence, now });
  }

  expireSilence(id: number, now: number): Promise<boolean> {
    return this.engine.write({ kind: 'expireSilence', id, now });
  }

  async getSilence(id: number): Promise<Silence | undefined> {
    const row = this.db.prepare(`SELECT * FROM silences WHERE id = ?`).get(id) as SilenceRow | undefined;
    return row && toSilence(row);
  }

  async listSilences(query: { now: number; all?: boolean; limit?: number }): Promise<Silence[]> {
    const rows = this.db.prepare(`SELECT * FROM silences WHERE (@all = 1 OR ends_at > @now) ORDER BY id DESC LIMIT @limit`)
      .all({ all: query.all ? 1 : 0, now: query.now, limit: query.limit ?? 100 }) as SilenceRow[];
    return rows.map(toSilence);
  }
}
