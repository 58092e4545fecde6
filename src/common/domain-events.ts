import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Subject, Subscription } from 'rxjs';

/**
 * The bridge's events by name, each with what it carries. Empty here: each folder declares the events it emits
 * beside its emitter (`declare module '../common/domain-events' { interface DomainEventMap { … } }`), so the
 * map is typed as a whole while no folder imports the types of the folders above it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap;

type Handler<K extends DomainEventName> = (payload: DomainEventMap[K]) => void;

interface Envelope<K extends DomainEventName = DomainEventName> {
  name: K;
  payload: DomainEventMap[K];
}

/**
 * A small typed event bus for one application (on an rxjs Subject). `emit` calls the handlers in the order they
 * subscribed, synchronously; a handler that throws is logged (once per handler and event name, so a broken
 * handler cannot flood the log) and neither the emitter nor the other handlers notice. Subscribers subscribe in
 * `onModuleInit` and hand the subscription back on destroy; modules initialise the deepest first, so a module
 * handles an event before the modules that import it (the sink registry before the dispatcher, say).
 */
@Injectable()
export class DomainEvents implements OnModuleDestroy {
  private readonly logger = new Logger('Events');
  private readonly subject = new Subject<Envelope>();

  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    this.subject.next({ name, payload } as Envelope);
  }

  /** Calls `handler` with every `name` event from now on; `owner` names it in the log line if it throws. */
  on<K extends DomainEventName>(name: K, owner: string, handler: Handler<K>): Subscription {
    let logged = false;
    return this.subject.subscribe((event) => {
      if (event.name !== name) return;
      try {
        handler(event.payload as DomainEventMap[K]);
      } catch (error) {
        if (logged) return;
        logged = true;
        // the payload is not logged: it may carry secrets (keyring.changed, config.changed)
        this.logger.error(`${owner} failed handling ${name} (later failures of it are not logged): ${(error as Error)?.message ?? String(error)}`);
      }
    });
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}

/** The subscriptions a service holds, handed back at once (on destroy). */
export class Subscriptions {
  private readonly held: Subscription[] = [];

  add(...subscriptions: Subscription[]): void {
    this.held.push(...subscriptions);
  }

  unsubscribe(): void {
    for (const subscription of this.held.splice(0)) subscription.unsubscribe();
  }
}
