import { constants, mkdirSync } from 'node:fs';
import { open, FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Batcher, Outcome } from '../../common/batcher';
import { FileSinkConfig } from './file.config';
import { TemplateSet } from '../../templating';
import { Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';

/** Lines per batch: one write (synchronised, see file()) carries up to this many deliveries. */
const BATCH_SIZE = 500;
/** Appends, and each write returns only once its data is on disk (as write + fdatasync, in one call). */
const APPEND_DURABLY = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

/**
 * Appends one line per event (JSON lines by default), on disk before reporting success. A batch is one synchronised
 * write (O_DSYNC: the data and the file's new size are durable when it returns); lines and batches sent while a write
 * runs share the next one.
 */
export class FileSink extends Sink<string> {
  readonly type = 'file';
  private handle?: Promise<FileHandle>;
  /**
   * Text sent while a write is in progress goes together in the next one (one write, one fsync). An item is one
   * line (send) or a whole batch's lines (sendBatch), so a batch succeeds or fails as a whole.
   */
  private readonly batcher = new Batcher<string, void>({ flush: (texts) => this.append(texts) });

  constructor(name: string, templates: TemplateSet, private readonly config: FileSinkConfig) {
    super(name, templates);
  }

  render(event: SinkEvent, overrides?: TemplateSet): string {
    const template = this.template('format', overrides);
    if (template) return this.rendering(() => template.render(templateContextOf(event)).replace(/\r?\n/g, ' '));
    // The body as JoggAI sent it is already one line of JSON unless it was pretty-printed.
    return /[\r\n]/.test(event.body) ? JSON.stringify(event.envelope) : event.body;
  }

  send(line: string): Promise<void> {
    return this.batcher.add(`${line}\n`);
  }

  override get batchSize(): number {
    return BATCH_SIZE;
  }

  /** The batch's lines in one piece, in order: written and fsynced together, so they succeed or fail together. */
  override sendBatch(items: readonly { message: string; event: SinkEvent }[]): Promise<unknown[]> {
    let text = '';
    for (const { message } of items) text += `${message}\n`;
    return this.batcher.add(text).then(() => items.map(() => undefined), (error: Error) => items.map(() => error));
  }

  override async check(): Promise<void> {
    await this.file();
  }

  override async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close().catch(() => undefined);
  }

  /**
   * Appends the texts with one synchronised write; a failure fails them all (and reopens the file next time). A short
   * write (a full disk) is a failure too: what it left is a torn line, ended on reopen.
   */
  private async append(texts: readonly string[]): Promise<Outcome<void>[]> {
    try {
      const file = await this.file();
      const data = Buffer.from(texts.join(''));
      const { bytesWritten } = await file.write(data);
      if (bytesWritten !== data.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      return texts.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      this.handle = undefined;
      throw new TransientSinkError(`cannot write ${this.config.path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }

  private file(): Promise<FileHandle> {
    this.handle ??= (async () => {
      mkdirSync(dirname(this.config.path), { recursive: true });
      const handle = await open(this.config.path, APPEND_DURABLY);
      await endTornLine(handle);
      return handle;
    })();
    return this.handle;
  }
}

/**
 * A crash can cut the last write short. That line was never acknowledged (its delivery is sent again),
 * but the next line must not be glued to the fragment: start on a fresh line.
 */
async function endTornLine(handle: FileHandle): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] !== 0x0a) await handle.write('\n');
}
