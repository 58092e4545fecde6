import { Module } from '@nestjs/common';
import { SinkFactory } from './sink.factory';
import { SinkRegistry } from './sink.registry';

@Module({
  providers: [SinkFactory, SinkRegistry],
  exports: [SinkRegistry],
})
export class SinksModule {}
