import { constants, fstatSync, ftruncateSync, mkdirSync, statSync } from 'node:fs';
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
  /** The open file, and which file it is (a path that names another one was rotated or removed). */
  private handle?: Promise<{ file: FileHandle; dev: number; ino: number }>;
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
    if (handle) await (await handle).file.close().catch(() => undefined);
  }

  /**
   * Appends the texts with one synchronised write. A failure fails them all, and on disk too: what a failed or short
   * write (a full disk) left is cut off again, so the file holds neither a torn line nor, once the batch is retried,
   * its lines twice. The file is then reopened for the next batch.
   */
  private async append(texts: readonly string[]): Promise<Outcome<void>[]> {
    let file: FileHandle | undefined;
    let before = -1;
    try {
      file = await this.current();
      before = fstatSync(file.fd).size;
      const data = Buffer.from(texts.join(''));
      const { bytesWritten } = await file.write(data);
      if (bytesWritten !== data.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      return texts.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      if (file && before >= 0) cutBackTo(file, before);
      void this.close();
      throw new TransientSinkError(`cannot write ${this.config.path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }

  /**
   * The open file, reopened when the path no longer names it: renamed away (log rotation) or removed, the next batch
   * goes to a new file at the path instead of on into the old one.
   */
  private async current(): Promise<FileHandle> {
    if (this.handle) {
      const { file, dev, ino } = await this.handle;
      const onDisk = statSync(this.config.path, { throwIfNoEntry: false });
      if (onDisk && onDisk.dev === dev && onDisk.ino === ino) return file;
      await this.close();
    }
    return this.file();
  }

  private async file(): Promise<FileHandle> {
    this.handle ??= (async () => {
      mkdirSync(dirname(this.config.path), { recursive: true });
      const file = await open(this.config.path, APPEND_DURABLY);
      try {
        await endTornLine(file);
        const { dev, ino } = await file.stat();
        return { file, dev, ino };
      } catch (error) {
        await file.close().catch(() => undefined);
        throw error;
      }
    })();
    try {
      return (await this.handle).file;
    } catch (error) {
      this.handle = undefined;
      throw error;
    }
  }
}

/** Cuts off what a failed write appended after `size` (only if the file did not shrink meanwhile: then it is not ours). */
function cutBackTo(file: FileHandle, size: number): void {
  try {
    if (fstatSync(file.fd).size > size) ftruncateSync(file.fd, size);
  } catch {
    /* the file cannot be changed either: reopening ends any torn line */
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
