import { Injectable } from '@nestjs/common';
import { LoadedSink } from '../config/loaded-config';
import { ConsoleSinkConfig, EmailSinkConfig, FileSinkConfig, HttpSinkConfig, KafkaSinkConfig, SlackSinkConfig } from '../config/sink-config';
import { ConsoleSink } from './console.sink';
import { EmailSink } from './email.sink';
import { FileSink } from './file.sink';
import { HttpSink } from './http.sink';
import { KafkaSink } from './kafka.sink';
import { Sink } from './sink';
import { SlackSink } from './slack.sink';

/** Builds a sink from its validated config; the one place that knows every sink class. */
@Injectable()
export class SinkFactory {
  create({ name, config, templates }: LoadedSink): Sink {
    switch (config.type) {
      case 'http':
        return new HttpSink(name, templates, config as HttpSinkConfig);
      case 'file':
        return new FileSink(name, templates, config as FileSinkConfig);
      case 'console':
        return new ConsoleSink(name, templates, config as ConsoleSinkConfig);
      case 'kafka':
        return new KafkaSink(name, templates, config as KafkaSinkConfig);
      case 'slack':
        return new SlackSink(name, templates, config as SlackSinkConfig);
      case 'email':
        return new EmailSink(name, templates, config as EmailSinkConfig);
    }
  }
}
