import 'reflect-metadata';
import { loadConfig } from './src/config/config.loader';
for (const p of ['config/bridge.yaml', '/tmp/bad.yaml']) {
  try { const c = loadConfig({ path: p, env: {} }); console.log('OK', c.server, c.jogg, [...c.sinks.keys()], c.routes.map(r => r.name)); }
  catch (e) { console.log((e as Error).message); }
}
