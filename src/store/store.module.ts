import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeConfigService } from '../config/bridge-config.service';
import { BridgeSetup } from '../config/bridge-setup';
import { openStore } from './open-store';
import { AlertGroups, AnswerStats, DeliveryQueue, EndpointSyncLog, EventInbox, Housekeeping, KeyringStore, LeaderLock, Silences, StorePorts } from './ports';

export const STORE_OWNER = Symbol('STORE_OWNER');
/** The engine's adapters together (one connection or writer thread); the module closes it at shutdown. */
export const STORE_PORTS = Symbol('STORE_PORTS');

const PORTS = [
  { token: EventInbox, pick: (ports: StorePorts) => ports.inbox },
  { token: DeliveryQueue, pick: (ports: StorePorts) => ports.queue },
  { token: KeyringStore, pick: (ports: StorePorts) => ports.keyring },
  { token: LeaderLock, pick: (ports: StorePorts) => ports.leader },
  { token: Housekeeping, pick: (ports: StorePorts) => ports.housekeeping },
  { token: AlertGroups, pick: (ports: StorePorts) => ports.groups },
  { token: Silences, pick: (ports: StorePorts) => ports.silences },
  { token: AnswerStats, pick: (ports: StorePorts) => ports.answers },
  { token: EndpointSyncLog, pick: (ports: StorePorts) => ports.syncLog },
] as const;

/** Provides the store's ports (inbox, queue, keyring, leader lock, housekeeping, alert groups, silences, answer counts, sync results), backed by the engine the config names. */
@Module({})
export class StoreModule implements OnApplicationShutdown {
  /** `setup.serving`: the serving process owns the store (it dispatches); tools only read and re-queue */
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
      module: StoreModule,
      imports: [BridgeConfigModule.forRoot(setup)],
      providers: [
        { provide: STORE_OWNER, useValue: setup.serving },
        {
          provide: STORE_PORTS,
          inject: [BridgeConfigService, STORE_OWNER],
          useFactory: (config: BridgeConfigService, isOwner: boolean) => openStore(config.current.store, isOwner),
        },
        ...PORTS.map(({ token, pick }) => ({ provide: token, inject: [STORE_PORTS], useFactory: pick })),
      ],
      exports: PORTS.map(({ token }) => token),
  }));

  constructor(@Inject(STORE_PORTS) private readonly ports: StorePorts) {}

  async onApplicationShutdown(): Promise<void> {
    await this.ports.close();
  }
}
