/** What one item of a batch came to: its own value, or its own error. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatcherOptions<I, R> {
  /**
   * Handles one batch and says what each item came to, in order (one outcome per item). Throwing fails every item
   * of this batch with that error, and only them: the next batch runs as usual.
   */
  flush(items: readonly I[]): Promise<readonly Outcome<R>[]>;
  /** At most this many items per flush; the rest wait for the next one. */
  maxSize?: number;
  /**
   * Awaited before the first flush of a burst, so items added in the same turn go together. Default: one
   * microtask (items added synchronously, one after the other, share the first flush).
   */
  gather?: () => Promise<void>;
}

interface Entry<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: one flush at a time; items added while a flush runs wait and go together in the next one (up to
 * `maxSize`), so a burst costs a few flushes, not one per item. Each caller's promise settles with its own item's
 * outcome.
 */
export class Batcher<I, R> {
  private queue: Entry<I, R>[] = [];
  private running?: Promise<void>;
  private readonly maxSize: number;

  constructor(private readonly options: BatcherOptions<I, R>) {
    this.maxSize = options.maxSize ?? Infinity;
    if (!(this.maxSize >= 1)) throw new Error(`maxSize must be at least 1, not ${options.maxSize}`);
  }

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Items waiting for a flush (not those of the flush in progress). */
  get queued(): number {
    return this.queue.length;
  }

  /** True while a flush runs or items wait for one. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once nothing waits and no flush runs (items added meanwhile are waited for too). */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * One flush at a time, but the next one starts before the finished one's callers are answered: the store's thread
   * commits the next group while this thread answers the last one, instead of waiting for it.
   */
  private async run(): Promise<void> {
    await (this.options.gather?.() ?? Promise.resolve()).catch(() => undefined);
    let current: Flight<I, R> | undefined = this.start();
    while (current) {
      const result = await current.result;
      const next = this.queue.length ? this.start() : undefined;
      settle(current.batch, result);
      current = next;
    }
    this.running = undefined;
  }

  private start(): Flight<I, R> {
    const batch = this.queue.splice(0, this.maxSize);
    let result: Promise<FlushResult<R>>;
    try {
      result = this.options.flush(batch.map((entry) => entry.item)).then(
        (outcomes): FlushResult<R> => ({ outcomes }),
        (error: unknown): FlushResult<R> => ({ error }),
      );
    } catch (error) {
      result = Promise.resolve({ error });
    }
    return { batch, result };
  }
}

type FlushResult<R> = { outcomes: readonly Outcome<R>[] } | { error: unknown };

interface Flight<I, R> {
  batch: Entry<I, R>[];
  result: Promise<FlushResult<R>>;
}

function settle<I, R>(batch: readonly Entry<I, R>[], result: FlushResult<R>): void {
  if ('error' in result) {
    batch.forEach((entry) => entry.reject(result.error));
    return;
  }
  const { outcomes } = result;
  batch.forEach((entry, i) => {
    const outcome = outcomes[i];
    if (!outcome) entry.reject(new Error(`batch flush gave ${outcomes.length} outcome(s) for ${batch.length} item(s)`));
    else if (outcome.ok) entry.resolve(outcome.value);
    else entry.reject(outcome.error);
  });
}

/** Runs `work` and keeps what it came to as an outcome (for flushes that go item by item). */
export async function outcomeOf<R>(work: () => Promise<R>): Promise<Outcome<R>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}
