import { Module } from '@nestjs/common';
import { CommonModule, oncePer } from '../common/common.module';
import { BridgeConfigModule } from '../config/bridge-config.module';
import { BridgeSetup } from '../config/bridge-setup';
import { StoreModule } from '../store/store.module';
import { GroupFlusher } from './group-flusher.service';
import { GroupMessages } from './group-messages.service';
import { SilenceService } from './silence.service';

/**
 * Alerting: group messages (rendering), the flusher that closes due groups, the silences in force. For the serving
 * process only: the dispatcher, the ingress and the admin API import it; the CLI reads groups and silences through
 * the store's ports and never flushes.
 */
@Module({})
export class AlertingModule {
  static readonly forRoot = oncePer((setup: BridgeSetup) => ({
    module: AlertingModule,
    imports: [CommonModule, BridgeConfigModule.forRoot(setup), StoreModule.forRoot(setup)],
    providers: [GroupMessages, GroupFlusher, SilenceService],
    exports: [GroupMessages, SilenceService],
  }));
}
