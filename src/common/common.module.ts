import { DynamicModule, Module } from '@nestjs/common';
import { Clock } from './clock';
import { DomainEvents } from './domain-events';
import { HandOff } from './hand-off';

/**
 * What every module may use: the clock, the application's event bus, and the hand-off of new deliveries from the
 * ingress to the dispatcher (one of each per application).
 */
@Module({
  providers: [Clock, DomainEvents, HandOff],
  exports: [Clock, DomainEvents, HandOff],
})
export class CommonModule {}

/**
 * A module built from a key (the application's setup): built once per key, so every importer gets the same object
 * and Nest, which identifies modules by reference here (`moduleIdGeneratorAlgorithm: 'reference'`), makes one
 * instance of it per application. This is how modules share the one config without a global module.
 */
export function oncePer<K extends object>(build: (key: K) => DynamicModule): (key: K) => DynamicModule {
  const built = new WeakMap<K, DynamicModule>();
  return (key) => {
    let module = built.get(key);
    if (!module) built.set(key, (module = build(key)));
    return module;
  };
}
