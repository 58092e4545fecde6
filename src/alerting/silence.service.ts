import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { RepeatedLog } from '../common/repeated-log';
import { NewSilence, Silence, Silences } from '../store/ports/silences';
import { silenceFor, SilenceTarget } from './silence-match';

/** How often the active silences are read again (a silence added or expired by the CLI, another process, or another instance). */
const REFRESH_MS = 1000;

/**
 * The silences in force, kept in memory so the webhook path does not read them per request. Changes through this
 * service (the admin API) apply at once; those made elsewhere within a second.
 */
@Injectable()
export class SilenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SilenceService.name);
  private readonly failures = new RepeatedLog(60_000);
  private current: readonly Silence[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly silences: Silences, private readonly clock: Clock) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((error: Error) => this.logger.warn(`cannot read the silences: ${error.message}`));
    this.timer = setInterval(() => {
      this.refresh().catch((error: Error) => this.failures.write(this.clock.now(), () => this.logger.warn(`cannot read the silences: ${error.message}`)));
    }, REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    this.current = await this.silences.listSilences({ now: this.clock.now(), limit: 10_000 });
  }

  /** The silences in force or to come, as last read. */
  snapshot(): readonly Silence[] {
    return this.current;
  }

  /** The id of the silence that holds this delivery back at `now`, if one does. */
  match(target: SilenceTarget, now: number): number | undefined {
    return this.current.length ? silenceFor(this.current, target, now)?.id : undefined;
  }

  async add(silence: NewSilence): Promise<Silence> {
    const added = await this.silences.addSilence(silence, this.clock.now());
    await this.refresh();
    return added;
  }

  async expire(id: number): Promise<boolean> {
    const expired = await this.silences.expireSilence(id, this.clock.now());
    await this.refresh();
    return expired;
  }

  list(all: boolean): Promise<Silence[]> {
    return this.silences.listSilences({ now: this.clock.now(), all, limit: 1000 });
  }
}
