import { mkdirSync } from 'node:fs';
import { open, FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Batcher, Outcome } from '../../common/batcher';
import { FileSinkConfig } from './file.config';
import { TemplateSet } from '../../templating';
import { Sink, SinkEvent, templateContextOf, TransientSinkError } from '../core/sink';

/**
 * Appends one line per event (JSON lines by default) and fsyncs before reporting success. Lines sent
 * at the same time share one write and one fsync.
 */
export class FileSink extends Sink<string> {
  readonly type = 'file';
  private handle?: Promise<FileHandle>;
  /** Lines sent while a write is in progress go together in the next one (one write, one fsync). */
  private readonly batcher = new Batcher<string, void>({ flush: (lines) => this.append(lines) });

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

  override async check(): Promise<void> {
    await this.file();
  }

  override async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close().catch(() => undefined);
  }

  /** Appends the lines with one write and one fsync; a failure fails them all (and reopens the file next time). */
  private async append(lines: readonly string[]): Promise<Outcome<void>[]> {
    try {
      const file = await this.file();
      await file.write(lines.join(''));
      await file.datasync();
      return lines.map(() => ({ ok: true, value: undefined }));
    } catch (error) {
      this.handle = undefined;
      throw new TransientSinkError(`cannot write ${this.config.path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }

  private file(): Promise<FileHandle> {
    this.handle ??= (async () => {
      mkdirSync(dirname(this.config.path), { recursive: true });
      const handle = await open(this.config.path, 'a+');
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
