import { Module } from '@nestjs/common';
import { GroupFlusher } from './group-flusher.service';
import { GroupMessages } from './group-messages.service';
import { SilenceService } from './silence.service';

/** Alerting: group messages (rendering), the flusher that closes due groups, the silences in force (serving process only). */
@Module({
  providers: [GroupMessages, GroupFlusher, SilenceService],
  exports: [GroupMessages, SilenceService],
})
export class AlertingModule {}
