import { Injectable } from '@nestjs/common';
import { LoadedSink } from '../config/loaded-config';
import { Sink } from '../sinks/core/sink';
import { definitionOf } from '../sinks/definitions';

/** Builds a sink from its validated config, through its type's definition (src/sinks/definitions.ts). */
@Injectable()
export class SinkFactory {
  create({ name, config, templates }: LoadedSink): Sink {
    return definitionOf(config).create(name, templates, config);
  }
}
