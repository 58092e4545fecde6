import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ToolsModule } from './cli/tools.module';
import { IngressModule } from './ingress/ingress.module';
import { loadConfig } from './config/config.loader';
import { LoadedConfig } from './config/loaded-config';

/** What the container knows of a module (Nest's Module class, read structurally). */
interface ModuleRef {
  metatype: { name: string };
  isGlobal: boolean;
  providers: Map<unknown, { metatype?: unknown; inject?: unknown[] }>;
  controllers: Map<unknown, { metatype?: unknown; inject?: unknown[] }>;
}

/** The module graph of `root`, scanned but not instantiated (preview): nothing opens, nothing runs. */
async function graphOf(root: ReturnType<typeof AppModule.forRoot>): Promise<ModuleRef[]> {
  const context: INestApplicationContext = await NestFactory.createApplicationContext(root, { preview: true, logger: false, moduleIdGeneratorAlgorithm: 'reference' });
  const modules = [...(context as unknown as { container: { getModules(): Map<string, ModuleRef> } }).container.getModules().values()];
  await context.close();
  return modules.filter((module) => module.metatype.name !== 'InternalCoreModule'); // Nest's own
}

const names = (modules: ModuleRef[]) => modules.map((module) => module.metatype.name).sort();

/** Constructor parameters marked @Optional(), and factory dependencies marked `optional: true`. */
function optionalDependencies(module: ModuleRef): string[] {
  const found: string[] = [];
  for (const wrapper of [...module.providers.values(), ...module.controllers.values()]) {
    const type = wrapper.metatype as { name?: string } | undefined;
    if (typeof type === 'function' && (Reflect.getMetadata('optional:paramtypes', type) ?? []).length) found.push(`${module.metatype.name}: ${type.name}`);
    for (const dependency of wrapper.inject ?? []) if ((dependency as { optional?: boolean })?.optional) found.push(`${module.metatype.name}: a factory`);
  }
  return found;
}

describe('the module graphs', () => {
  let dir: string;
  let config: LoadedConfig;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jogg-bridge-modules-'));
    writeFileSync(join(dir, 'bridge.yaml'), `store: { path: "${join(dir, 'bridge.db')}" }\nsinks: { out: { type: console } }\nroutes: [{ name: all, match: { events: ["*"] }, to: [out] }]\n`);
    config = loadConfig({ path: join(dir, 'bridge.yaml'), env: {} });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves from one module per folder, each once, none global, none with an optional dependency', async () => {
    const modules = await graphOf(AppModule.forRoot(config));
    expect(names(modules)).toEqual([
      'AdminModule', 'AlertingModule', 'AppModule', 'BridgeConfigModule', 'CommonModule', 'ConsoleModule', 'ConsoleQueriesModule', 'DeliveryModule', 'DispatchModule', 'IngressModule', 'MetricsModule',
      'OpsModule', 'RulesModule', 'SinksModule', 'StoreModule', 'SyncLoopModule', 'SyncModule',
    ]);
    expect(modules.filter((module) => module.isGlobal).map((module) => module.metatype.name)).toEqual([]);
    expect(modules.flatMap(optionalDependencies)).toEqual([]);
  });

  it('gives the CLI the same modules, minus what runs (no HTTP, dispatcher, sync loop or alerting)', async () => {
    const modules = await graphOf(ToolsModule.forRoot(config));
    expect(names(modules)).toEqual(['BridgeConfigModule', 'CommonModule', 'DeliveryModule', 'RulesModule', 'SinksModule', 'StoreModule', 'SyncModule', 'ToolsModule']);
    expect(modules.filter((module) => module.isGlobal)).toEqual([]);
  });

  it('builds a module once per setup: the same object for every importer, another for another setup', () => {
    const setup = { config, serving: true };
    expect(IngressModule.forRoot(setup)).toBe(IngressModule.forRoot(setup));
    expect(IngressModule.forRoot({ config, serving: true })).not.toBe(IngressModule.forRoot(setup));
  });
});
