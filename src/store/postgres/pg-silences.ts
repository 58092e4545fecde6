import { NewSilence, Silence, Silences } from '../ports/silences';
import { SilenceRow, toSilence } from '../row-mapper';
import { PgEngine } from './pg-engine';

/** The silences port on PostgreSQL. */
export class PgSilences extends Silences {
  constructor(private readonly engine: PgEngine) {
    super();
  }

  addSilence(silence: NewSilence, now: number): Promise<Silence> {
    return this.engine.write(async (c) => toSilence((await c.query(
      `INSERT INTO silences (matchers, starts_at, ends_at, comment, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [JSON.stringify(silence.matchers), silence.startsAt, silence.endsAt, silence.comment, silence.createdBy, now],
    )).rows[0] as SilenceRow));
  }

  expireSilence(id: number, now: number): Promise<boolean> {
    return this.engine.write(async (c) => ((await c.query('UPDATE silences SET ends_at = $2 WHERE id = $1 AND ends_at > $2', [id, now])).rowCount ?? 0) > 0);
  }

  async getSilence(id: number): Promise<Silence | undefined> {
    const row = (await this.engine.read<SilenceRow>('SELECT * FROM silences WHERE id = $1', [id]))[0];
    return row && toSilence(row);
  }

  async listSilences(query: { now: number; all?: boolean; limit?: number }): Promise<Silence[]> {
    const rows = await this.engine.read<SilenceRow>('SELECT * FROM silences WHERE ($1 OR ends_at > $2) ORDER BY id DESC LIMIT $3', [query.all === true, query.now, query.limit ?? 100]);
    return rows.map(toSilence);
  }
}
