import { appendFileSync, constants, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { FileSinkConfig } from './file.config';
import { compileTemplate } from '../../templating';
import { FileSink } from './file.sink';
import { SinkEvent, TransientSinkError } from '../core/sink';

const event = (n: number, indent?: number): SinkEvent => {
  const envelope = { event_id: `e${n}`, event: 'generated_video_success', timestamp: 1764115200, data: { video_id: `v${n}`, note: 'multi\nline' } };
  return { id: n, deliveryId: n, endpoint: null, receivedAt: 0, body: JSON.stringify(envelope, null, indent), envelope };
};

describe('FileSink', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jogg-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sink = (path: string, format?: string) =>
    new FileSink('f', format ? { format: compileTemplate(format) } : {}, plainToInstance(FileSinkConfig, { type: 'file', path }));

  it('appends one JSON line per event, creating the folder, and concurrent sends all land', async () => {
    const path = join(dir, 'nested', 'events.jsonl');
    const file = sink(path);
    await Promise.all([1, 2, 3, 4, 5].map((n) => file.send(file.render(event(n)))));
    await file.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).event_id).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('writes the body exactly as JoggAI sent it, compacting a pretty-printed one to a single line', () => {
    const file = sink(join(dir, 'x'));
    expect(file.render(event(1))).toBe(event(1).body);
    expect(file.render(event(2, 2))).toBe(JSON.stringify(event(2).envelope));
  });

  it('renders a format template on one line', () => {
    expect(sink(join(dir, 'x'), '{{ event }} {{ data.note }}').render(event(1))).toBe('generated_video_success multi line');
  });

  it('starts on a fresh line after a torn last line left by a crash', async () => {
    const path = join(dir, 'events.jsonl');
    appendFileSync(path, '{"event_id":"e0"}\n{"event_id":"tor');
    const file = sink(path);
    await file.send(file.render(event(1)));
    await file.close();
    expect(readFileSync(path, 'utf8').split('\n')).toEqual(['{"event_id":"e0"}', '{"event_id":"tor', expect.stringContaining('"e1"'), '']);
  });

  it('sends a batch as one synchronised write (O_DSYNC: on disk when it returns), its lines in order', async () => {
    const path = join(dir, 'events.jsonl');
    const file = sink(path);
    await file.check();
    const handle = (await (file as unknown as { handle: Promise<{ file: FileHandle }> }).handle).file;
    // the kernel's own record of how the file is open (octal flags): every write is synchronised I/O
    const flags = parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${handle.fd}`, 'utf8'))![1], 8);
    expect(flags & constants.O_DSYNC).toBe(constants.O_DSYNC);
    expect(flags & constants.O_APPEND).toBe(constants.O_APPEND);
    const writes = jest.spyOn(handle, 'write');
    const items = Array.from({ length: 300 }, (_, i) => ({ message: file.render(event(i)), event: event(i) }));
    expect(await file.sendBatch(items)).toEqual(items.map(() => undefined));
    expect(writes.mock.calls.length).toBe(1);
    await file.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).event_id)).toEqual(items.map((_, i) => `e${i}`));
  });

  it('follows the path: after the file is renamed away (log rotation) or removed, the next batch goes to a new file there', async () => {
    const path = join(dir, 'events.jsonl');
    const file = sink(path);
    const batch = (from: number) => [from, from + 1].map((n) => ({ message: file.render(event(n)), event: event(n) }));
    const ids = (p: string) => readFileSync(p, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).event_id);
    await file.sendBatch(batch(1));
    renameSync(path, `${path}.1`);
    await file.sendBatch(batch(3));
    rmSync(path);
    await file.sendBatch(batch(5));
    await file.close();
    expect(ids(`${path}.1`)).toEqual(['e1', 'e2']);
    expect(ids(path)).toEqual(['e5', 'e6']);
  });

  it('a batch that fails leaves nothing in the file: what a short write (a full disk) appended is cut off again', async () => {
    const path = join(dir, 'events.jsonl');
    const file = sink(path);
    await file.sendBatch([{ message: file.render(event(1)), event: event(1) }]);
    const handle = (await (file as unknown as { handle: Promise<{ file: FileHandle }> }).handle).file;
    const write = handle.write.bind(handle);
    // the disk fills up half-way through the batch: the kernel takes only part of it
    jest.spyOn(handle, 'write').mockImplementationOnce(((data: Buffer) => write(data.subarray(0, 40))) as unknown as FileHandle['write']);
    const failed = await file.sendBatch([2, 3].map((n) => ({ message: file.render(event(n)), event: event(n) })));
    expect(failed.every((f) => f instanceof TransientSinkError)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`${event(1).body}\n`);
    // retried: every line once, each whole
    expect(await file.sendBatch([2, 3].map((n) => ({ message: file.render(event(n)), event: event(n) })))).toEqual([undefined, undefined]);
    await file.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).event_id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('fails every line of a batch it cannot write with the same transient error', async () => {
    const path = join(dir, 'events.jsonl');
    mkdirSync(path);
    const file = sink(path);
    const failures = await file.sendBatch([1, 2, 3].map((n) => ({ message: file.render(event(n)), event: event(n) })));
    expect(failures).toHaveLength(3);
    expect(failures.every((f) => f instanceof TransientSinkError && f === failures[0])).toBe(true);
    expect((failures[0] as Error).message).toContain('EISDIR');
  });
});
