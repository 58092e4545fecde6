import { Pool, PoolClient, types } from 'pg';
import { Batcher, Outcome, outcomeOf } from '../../common/batcher';
import { migrate } from '../migrate';
import { StoreUnavailableError } from '../store.types';
import { WriteHealth } from '../write-health';
import { POSTGRES_MIGRATIONS, postgresMigrationDriver } from './migrations';

const MIGRATION_LOCK = 7_260_431; // advisory lock id for schema migrations

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** Schema (search_path) to use; created if missing. */
  schema?: string;
}

export type Op = (client: PoolClient) => Promise<unknown>;
/** One multi-row statement for every input of its kind in a group commit: inputs in, one result per input out. */
export type GroupStatement<I, R> = (client: PoolClient, inputs: readonly I[]) => Promise<R[]>;

interface Write {
  op: Op;
  /** Set for a write that shares one multi-row statement with the others of its kind in the group. */
  grouped?: { kind: string; input: unknown };
}

/** Errors that mean the database cannot be reached or written at all (not a fault of one write). */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return !/^[0-9A-Z]{5}$/.test(code) || /^(08|53|57|58|25P)/.test(code);
}

/**
 * What the PostgreSQL adapters share: the pool, the schema migration at open, and the group commit (writes that
 * queue during a commit share the next transaction; those of a grouped kind share one multi-row statement).
 */
export class PgEngine {
  readonly pool: Pool;
  readonly ready: Promise<void>;
  readonly health = new WriteHealth();
  private readonly groups = new Map<string, GroupStatement<never, unknown>>();
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly batcher = new Batcher<Write, unknown>({ flush: (batch) => this.commit(batch) });

  constructor(private readonly options: PostgresOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // a server that accepts the connection but never answers (stopped with SIGSTOP, a black-holed network) must
      // fail the write (503, JoggAI retries) rather than hold the webhook open
      connectionTimeoutMillis: 5000,
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text')) } as never,
    });
    // A session the server ends (restart, pg_terminate_backend, network) emits 'error' on its client; without a
    // listener that is an uncaught exception. The pool's own listener covers idle clients only, so every client
    // gets one for its whole life: the error surfaces where it matters, as the failure of the query in progress
    // or of the next one, and the pool drops the broken client when it is released.
    this.pool.on('error', () => undefined);
    const schema = options.schema?.replace(/"/g, '');
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined);
      if (schema) client.query(`SET search_path TO "${schema}"`).catch(() => undefined); // a lost session fails its next query anyway
    });
    this.ready = this.migrate();
    this.ready.catch(() => undefined);
  }

  /** Registers the multi-row statement of a kind; grouped kinds run in the order they were registered. */
  group<I, R>(kind: string, statement: GroupStatement<I, R>): (input: I) => Promise<R> {
    this.groups.set(kind, statement as GroupStatement<never, unknown>);
    // alone (after a failed group) it is a group of one
    const op: (input: I) => Op = (input) => async (client) => (await statement(client, [input]))[0];
    return (input) => this.batcher.add({ op: op(input), grouped: { kind, input } }) as Promise<R>;
  }

  /** A write that joins the next group commit. */
  write<T>(op: Op): Promise<T> {
    return this.batcher.add({ op }) as Promise<T>;
  }

  async read<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query(sql, params)).rows as R[];
  }

  /** Runs before the pool ends (after the last write): an adapter's own sessions go first. */
  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  async close(): Promise<void> {
    await this.batcher.drained();
    await this.ready.catch(() => undefined);
    for (const closer of this.closers) await closer();
    await this.pool.end();
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      if (this.options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.options.schema.replace(/"/g, '')}"`);
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migrate(POSTGRES_MIGRATIONS, postgresMigrationDriver(client));
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }

  /** One transaction for the group; should one write fail for a reason of its own, each runs alone. */
  private async commit(batch: readonly Write[]): Promise<Outcome<unknown>[]> {
    try {
      await this.ready;
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.health.failed(error);
      throw new StoreUnavailableError(error);
    }
    let broken = false; // a session that failed for the database's reason is not given back to the pool
    try {
      const results = await this.transaction(client, () => this.runGroup(client, batch));
      this.health.succeeded();
      return results.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (isUnavailable(error)) {
        broken = true;
        this.health.failed(error);
        throw new StoreUnavailableError(error);
      }
      // one write failed for a reason of its own: run each alone so the others still commit
      const outcomes: Outcome<unknown>[] = [];
      for (const write of batch) {
        const outcome = await outcomeOf(() => this.transaction(client, () => write.op(client)));
        outcomes.push(outcome.ok || !isUnavailable(outcome.error) ? outcome : { ok: false, error: new StoreUnavailableError(outcome.error) });
      }
      return outcomes;
    } finally {
      client.release(broken);
    }
  }

  /** Runs a group's writes: each grouped kind as one multi-row statement, the rest one by one in order. */
  private async runGroup(client: PoolClient, batch: readonly Write[]): Promise<unknown[]> {
    const out: unknown[] = new Array(batch.length);
    for (const [kind, statement] of this.groups) {
      const positions = batch.flatMap((w, i) => (w.grouped?.kind === kind ? [i] : []));
      if (!positions.length) continue;
      const results = await statement(client, positions.map((i) => batch[i].grouped!.input as never));
      positions.forEach((i, k) => (out[i] = results[k]));
    }
    for (let i = 0; i < batch.length; i++) if (!batch[i].grouped) out[i] = await batch[i].op(client);
    return out;
  }

  private async transaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      const result = await work();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
