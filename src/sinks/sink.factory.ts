import { Injectable } from '@nestjs/common';
import { LoadedSink } from '../config/loaded-config';
import { ConsoleSinkConfig, FileSinkConfig, HttpSinkConfig } from '../config/sink-config';
import { ConsoleSink } from './console.sink';
import { FileSink } from './file.sink';
import { HttpSink } from './http.sink';
import { Sink } from './sink';

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
    }
  }
}
