import { Module } from '@nestjs/common';
import { GroupFlusher } from './group-flusher.service';
import { GroupMessages } from './group-messages.service';

/** Alerting: group messages (rendering) and the flusher that closes due groups (serving process only). */
@Module({
  providers: [GroupMessages, GroupFlusher],
  exports: [GroupMessages],
})
export class AlertingModule {}
