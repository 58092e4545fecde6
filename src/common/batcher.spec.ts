import { Batcher, Outcome, outcomeOf } from './batcher';

/** A flush that the test finishes by hand, recording each batch it was given. */
function manual<R = string>() {
  const batches: number[][] = [];
  const finish: ((outcomes: Outcome<R>[] | Error) => void)[] = [];
  const flush = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<readonly Outcome<R>[]>((resolve, reject) => finish.push((o) => (o instanceof Error ? reject(o) : resolve(o))));
  };
  return { batches, finish, flush };
}

const ok = <R>(value: R): Outcome<R> => ({ ok: true, value });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('puts items added in one turn into one flush, and answers each with its own value', async () => {
    const calls = jest.fn();
    const spy = new Batcher<number, string>({ flush: async (items) => (calls(items), items.map((n) => ok(`v${n}`))) });
    expect(await Promise.all([1, 2, 3].map((n) => spy.add(n)))).toEqual(['v1', 'v2', 'v3']);
    expect(calls.mock.calls).toEqual([[[1, 2, 3]]]);
    expect(await spy.add(7)).toBe('v7');
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('group commit: items added while a flush runs wait, then go together in the next flush', async () => {
    const { batches, finish, flush } = manual();
    const batcher = new Batcher<number, string>({ flush });
    const first = batcher.add(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4].map((n) => batcher.add(n));
    await tick();
    expect(batches).toEqual([[1]]); // nothing starts while the first flush runs
    finish[0]([ok('a')]);
    expect(await first).toBe('a');
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]([ok('b'), ok('c'), ok('d')]);
    expect(await Promise.all(later)).toEqual(['b', 'c', 'd']);
    expect(batcher.busy).toBe(false);
  });

  it('starts the next flush before the finished batch is answered (the store commits while its callers reply)', async () => {
    const { batches, finish, flush } = manual();
    const batcher = new Batcher<number, string>({ flush });
    const seenByFirstCaller: number[][][] = [];
    const first = batcher.add(1).then((value) => (seenByFirstCaller.push(batches.map((b) => [...b])), value));
    await tick();
    const second = batcher.add(2);
    finish[0]([ok('a')]);
    expect(await first).toBe('a');
    expect(seenByFirstCaller).toEqual([[[1], [2]]]);
    finish[1]([ok('b')]);
    expect(await second).toBe('b');
    expect(batcher.busy).toBe(false);
  });

  it('flushes by size: no batch is larger than maxSize, the rest go in the next ones', async () => {
    const seen: number[][] = [];
    const batcher = new Batcher<number, number>({ maxSize: 3, flush: async (items) => (seen.push([...items]), items.map((n) => ok(n * 10))) });
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.add(n)))).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(seen).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('rejects only the items whose outcome is an error; the others of the batch resolve', async () => {
    const batcher = new Batcher<number, number>({
      flush: async (items) => items.map((n) => (n % 2 ? ok(n) : { ok: false as const, error: new Error(`bad ${n}`) })),
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'bad 2', 3, 'bad 4']);
  });

  it('a flush that throws rejects its own batch only; the next batch is flushed as usual', async () => {
    const { batches, finish, flush } = manual();
    const batcher = new Batcher<number, string>({ flush });
    const doomed = [batcher.add(1), batcher.add(2)];
    await tick();
    const next = batcher.add(3);
    finish[0](new Error('disk on fire'));
    await expect(Promise.all(doomed.map((p) => p.catch((e: Error) => e.message)))).resolves.toEqual(['disk on fire', 'disk on fire']);
    await tick();
    expect(batches).toEqual([[1, 2], [3]]);
    finish[1]([ok('fine')]);
    expect(await next).toBe('fine');
  });

  it('rejects every item of a batch whose flush gave too few outcomes', async () => {
    const batcher = new Batcher<number, number>({ flush: async () => [ok(1)] });
    const [a, b] = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(a).toEqual({ status: 'fulfilled', value: 1 });
    expect((b as PromiseRejectedResult).reason.message).toMatch(/1 outcome\(s\) for 2 item\(s\)/);
  });

  it('waits for its gather before the first flush of a burst, so later items of the turn join', async () => {
    const seen: number[][] = [];
    const batcher = new Batcher<number, number>({
      gather: () => new Promise((resolve) => setImmediate(resolve)),
      flush: async (items) => (seen.push([...items]), items.map(ok)),
    });
    const first = batcher.add(1);
    await Promise.resolve();
    await Promise.resolve();
    const second = batcher.add(2); // a later microtask of the same turn
    await Promise.all([first, second]);
    expect(seen).toEqual([[1, 2]]);
  });

  it('drained() resolves once every queued item has been flushed', async () => {
    const { finish, flush } = manual();
    const batcher = new Batcher<number, string>({ flush });
    const results: string[] = [];
    void batcher.add(1).then((v) => results.push(v));
    await tick();
    void batcher.add(2).then((v) => results.push(v));
    let drained = false;
    const waiting = batcher.drained().then(() => (drained = true));
    finish[0]([ok('a')]);
    await tick();
    expect(drained).toBe(false);
    finish[1]([ok('b')]);
    await waiting;
    expect(results).toEqual(['a', 'b']);
    expect(batcher.queued).toBe(0);
  });

  it('refuses a maxSize below 1', () => {
    expect(() => new Batcher({ maxSize: 0, flush: async () => [] })).toThrow(/maxSize/);
  });

  it('outcomeOf keeps a value or an error', async () => {
    expect(await outcomeOf(async () => 5)).toEqual({ ok: true, value: 5 });
    const failure = new Error('no');
    expect(await outcomeOf(async () => Promise.reject(failure))).toEqual({ ok: false, error: failure });
  });
});
