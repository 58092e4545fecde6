import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from '../common/class-validator';
import { Document, isNode, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, visit } from 'yaml';
import { suggest } from '../common/did-you-mean';
import { compileRoutes, Path, RouteDefinition } from '../rules/route';
import { SINK_DEFINITIONS, sinkDefinition, SINK_TYPES, SinkConfig } from '../sinks/definitions';
import { compileTemplateSet } from '../templating';
import { BridgeConfigFile, NAME_PATTERN, StoreConfig, templateOverrides } from './bridge-config';
import { ConfigError, ConfigProblem, formatPath } from './config.error';
import { collectSecrets, MIN_TEXT_SECRET } from './secrets';
import { interpolate, InterpolationError } from './interpolate';
import { LoadedConfig, LoadedSink } from './loaded-config';
import { parseDuration, parseSize } from '../common/units';
import { templateWarnings } from './template-warnings';
import { loadGroups } from './groups';
import { excerptAt, locate } from './yaml-locator';

export const DEFAULT_CONFIG_PATH = 'config/bridge.yaml';
/** Per sink type, the structured template fields whose leaves keep their JSON type (for route overrides too). */
const TYPED_LEAF_FIELDS = Object.fromEntries(SINK_DEFINITIONS.map((d) => [d.type, d.typedLeafFields]));
const READ_ERRORS: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  /** Defaults to BRIDGE_CONFIG, then config/bridge.yaml. */
  path?: string;
  env?: Env;
}

/** Reads, interpolates and validates the config file; throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const { file, text, env } = readConfigFile(options);
  return parseConfig(text, file, env);
}

export interface PartialConfig {
  readonly file: string;
  readonly store: LoadedConfig['store'];
  readonly server: { readonly port: number; readonly host: string };
}

/**
 * Only the `store` and `server` sections, for commands that read the store (events, deliveries, replay) or
 * send to the running bridge (trigger): variables used elsewhere (sink secrets, API keys) need not be set,
 * and mistakes elsewhere do not stop them. `check` and `serve` load the whole file.
 */
export function loadPartialConfig(options: LoadOptions = {}): PartialConfig {
  const { file, text, env } = readConfigFile(options);
  const { doc, problems } = parseYaml(text, file);
  const plain = (toJS(doc, problems) ?? {}) as unknown;
  if (typeof plain !== 'object' || Array.isArray(plain)) {
    problems.add([], 'the file must be a YAML mapping (key: value)');
    throw problems.error();
  }
  for (const key of ['store', 'server']) {
    const node = doc.get(key, true);
    if (isNode(node)) interpolateScalars(node, env, problems);
  }
  // read again: the two sections now hold their interpolated values
  const source = plainToInstance(BridgeConfigFile, pick(toJS(doc, problems) as Record<string, unknown>, ['store', 'server']), { exposeDefaultValues: true });
  problems.addValidation(validate(source), []);
  applyPortOverride(source, env, problems);
  if (source.store) checkStore(source.store, problems);
  if (problems.count) throw problems.error();
  return { file, store: resolveStore(source.store), server: { port: source.server.port, host: source.server.host } };
}

/**
 * The document as plain data. An alias without its anchor parses, then fails here ("Unresolved alias"): a problem
 * of the file like any other, at the alias's line, not an error without a position.
 */
function toJS(doc: Document, problems: ProblemList): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    let at: Path = [];
    visit(doc, { Alias: (_key, node, path) => {
      if (!node.resolve(doc)) at = aliasPath([...path, node]);
      return at.length ? visit.BREAK : undefined;
    } });
    problems.add(at, (error as Error).message.split('\n')[0]);
    throw problems.error();
  }
}

/** The config path of a node from the parents `visit` gives (pairs' keys, sequence indexes). */
function aliasPath(parents: readonly unknown[]): Path {
  const path: (string | number)[] = [];
  for (let i = 0; i < parents.length; i++) {
    const node = parents[i];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (isSeq(node)) {
      const next = parents[i + 1];
      path.push(node.items.indexOf(next as never));
    }
  }
  return path;
}

function pick(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

function readConfigFile(options: LoadOptions): { file: string; text: string; env: Env } {
  const env = options.env ?? process.env;
  const file = options.path ?? env.BRIDGE_CONFIG ?? DEFAULT_CONFIG_PATH;
  try {
    return { file, text: readFileSync(file, 'utf8'), env };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code && READ_ERRORS[code] ? `${READ_ERRORS[code]} (${code})` : code ?? String(error);
    throw new ConfigError(file, [{ file, path: '', message: `cannot read: ${reason}` }]);
  }
}

/** Parses the YAML; throws ConfigError on syntax errors, each shown with its line and a caret. */
function parseYaml(text: string, file: string): { doc: Document; problems: ProblemList } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const problems = new ProblemList(file, doc, counter);
  const lines = text.split('\n');
  // After the first few syntax errors the rest are usually echoes of them.
  for (const error of [...doc.errors, ...doc.warnings].slice(0, 5)) {
    const pos = counter.linePos(error.pos[0]);
    const line = (lines[pos.line - 1] ?? '').replace(/\r$/, '');
    const hint = /[{[].*\$\{/.test(line) ? ' (inside { } or [ ], quote values that contain ${...})' : '';
    const excerpt = excerptAt(lines, pos.line - 1);
    problems.raw({ file, line: pos.line, col: pos.col, path: '', message: error.message.split('\n')[0] + hint, excerpt });
  }
  if (doc.errors.length) throw problems.error();
  return { doc, problems };
}

export function parseConfig(text: string, file: string, env: Env = process.env): LoadedConfig {
  const { doc, problems } = parseYaml(text, file);
  interpolateScalars(doc, env, problems);
  const plain = (toJS(doc, problems) ?? {}) as unknown;
  if (typeof plain !== 'object' || Array.isArray(plain)) {
    problems.add([], 'the file must be a YAML mapping (key: value)');
    throw problems.error();
  }
  const source = plainToInstance(BridgeConfigFile, plain, { exposeDefaultValues: true });
  problems.addValidation(validate(source), []);
  applyPortOverride(source, env, problems);
  const sinks = loadSinks(source.sinks ?? {}, problems);
  const routes = compileRoutes(routeDefinitions(source), new Set(sinks.keys()), TYPED_LEAF_FIELDS);
  routes.problems.forEach((p) => problems.add(['routes', ...p.path], p.message));
  checkEndpoints(source, problems);
  if (source.store) checkStore(source.store, problems);
  const groups = loadGroups(source, sinks, (path, message) => problems.add(path, message));
  if (problems.count) throw problems.error();
  const loaded: LoadedConfig = {
    ...resolve(file, source, sinks, routes.routes),
    groups,
    warnings: [...templateWarnings(source, sinks), ...retryWarnings(source), ...bareDurationWarnings(source, sinks)].map((w) => problems.locate(w.path, w.message)),
    admin: { token: env.BRIDGE_ADMIN_TOKEN || undefined },
    reload: () => loadConfig({ path: file, env }),
  };
  return { ...loaded, warnings: [...loaded.warnings, ...shortSecretWarnings(loaded, file)] };
}

/**
 * A sink's circuit opens after `delivery.circuit.failures` failures in a row; a delivery with no more attempts than
 * that can be dead-lettered before its sink counts as down, so an outage with little traffic costs dead letters.
 */
function retryWarnings(source: BridgeConfigFile): { path: Path; message: string }[] {
  const failures = source.delivery.circuit.failures;
  const warning = (path: Path, attempts: number, whose: string) => ({
    path,
    message: `${attempts} attempts ${whose} are not more than delivery.circuit.failures (${failures}): a delivery can give up (a dead ` +
      'letter) before its sink counts as down, so an outage with little traffic costs dead letters; allow more attempts or fewer failures',
  });
  const sinks = Object.entries(source.sinks ?? {}).map(([name, sink]) => [name, (sink as { retry?: { attempts?: number } }).retry?.attempts] as const);
  const global = sinks.some(([, own]) => own === undefined) && source.retry.attempts <= failures
    ? [warning(['retry', 'attempts'], source.retry.attempts, 'for every sink without its own retry')] : [];
  const own = sinks.filter(([, attempts]) => attempts !== undefined && attempts <= failures)
    .map(([name, attempts]) => warning(['sinks', name, 'retry', 'attempts'], attempts!, `for sink "${name}"`));
  return [...global, ...own];
}

/**
 * A duration written as a bare number under a second (`wait: 30`) is milliseconds, as documented, but more often meant
 * as seconds: say so once at load. Writing the unit (`30ms`, `30s`) is how to mean it.
 */
function bareDurationWarnings(source: BridgeConfigFile, sinks: ReadonlyMap<string, LoadedSink>): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const visit = (node: unknown, path: Path): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, [...path, i]));
    if (!node || typeof node !== 'object') return;
    const durations = new Set(getMetadataStorage().getTargetValidationMetadatas(node.constructor, '', true, false)
      .filter((rule) => rule.name === 'isDuration').map((rule) => rule.propertyName));
    for (const [key, value] of Object.entries(node)) {
      if (durations.has(key) && typeof value === 'number' && value > 0 && value < 1000) {
        out.push({ path: [...path, key], message: `${value} is ${value} ms (a bare number is milliseconds): write ${value}ms to mean that, or ${value}s for seconds` });
      } else if (key !== 'sinks') visit(value, [...path, key]);
    }
  };
  visit(source, []);
  for (const [name, sink] of sinks) visit(sink.config, ['sinks', name]);
  return out;
}

/** Secrets too short to be searched for in free text: say so (without saying them). */
function shortSecretWarnings(config: LoadedConfig, file: string): ConfigProblem[] {
  const short = collectSecrets(config).filter((secret) => secret.length < MIN_TEXT_SECRET);
  if (!short.length) return [];
  const count = short.length === 1 ? 'a configured secret is' : `${short.length} configured secrets are`;
  return [{
    file, path: '',
    message: `${count} shorter than ${MIN_TEXT_SECRET} characters: hidden in the admin API and CLI as whole values, ` +
      'but not recognised inside log lines or delivery errors; use longer secrets',
  }];
}

function checkStore(store: StoreConfig, problems: ProblemList): void {
  if (store.driver === 'postgres' && !store.url) problems.add(['store', 'driver'], 'driver postgres needs store.url');
}

function validate(target: object): ValidationError[] {
  return validateSync(target, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
}

function interpolateScalars(doc: Document | Node, env: Env, problems: ProblemList): void {
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const whole = /^\$\{[^}]*\}$/.test(node.value) && node.type === Scalar.PLAIN;
      try {
        const value = interpolate(node.value, env);
        node.value = whole ? retype(value) : value;
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        const pos = node.range ? problems.counter.linePos(node.range[0]) : undefined;
        problems.raw({ file: problems.file, line: pos?.line, col: pos?.col, path: '', message: error.message });
      }
    },
  });
}

/** `port: ${PORT:-3000}` should be a number, as if the value had been written in place. */
function retype(value: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function applyPortOverride(source: BridgeConfigFile, env: Env, problems: ProblemList): void {
  if (env.PORT === undefined || env.PORT === '') return;
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.raw({ file: 'environment', path: 'PORT', message: 'PORT must be an integer from 0 to 65535' });
    return;
  }
  source.server.port = port;
}

function loadSinks(raw: Record<string, unknown>, problems: ProblemList): Map<string, LoadedSink> {
  const sinks = new Map<string, LoadedSink>();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return sinks;
  for (const [name, value] of Object.entries(raw)) {
    const base: Path = ['sinks', name];
    if (!NAME_PATTERN.test(name)) problems.add(base, 'sink names use letters, digits, "_", "-" and "."', true);
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.add(base, 'a sink must be a mapping with a "type"');
      continue;
    }
    const definition = typeof type === 'string' ? sinkDefinition(type) : undefined;
    if (!definition) {
      problems.add([...base, 'type'], `type must be one of: ${SINK_TYPES.join(', ')}`);
      continue;
    }
    const config: SinkConfig = plainToInstance(definition.configClass, value, { exposeDefaultValues: true });
    const errors = validate(config);
    problems.addValidation(errors, base);
    definition.check?.(config, (path, message) => problems.add([...base, ...path], message));
    const fields = Object.fromEntries(definition.templateFields.map((f) => [f, (config as unknown as Record<string, unknown>)[f]]));
    const templates = compileTemplateSet(fields, base, (path, message) => problems.add(path, message), definition.typedLeafFields);
    sinks.set(name, { name, config, templates });
  }
  return sinks;
}

function routeDefinitions(source: BridgeConfigFile): RouteDefinition[] {
  return (source.routes ?? []).map((route) => ({
    name: route.name,
    match: { events: route.match?.events ?? [], where: route.match?.where },
    to: route.to ?? [],
    continue: route.continue,
    overrides: Object.fromEntries(SINK_TYPES.map((type) => [type, templateOverrides(route, type)])),
  }));
}

function checkEndpoints(source: BridgeConfigFile, problems: ProblemList): void {
  const seen = new Set<string>();
  (source.jogg?.endpoints ?? []).forEach((endpoint, i) => {
    if (seen.has(endpoint.name)) problems.add(['jogg', 'endpoints', i, 'name'], `duplicate endpoint name "${endpoint.name}"`);
    seen.add(endpoint.name);
  });
}

function resolve(file: string, source: BridgeConfigFile, sinks: Map<string, LoadedSink>, routes: LoadedConfig['routes']): Omit<LoadedConfig, 'admin' | 'reload' | 'warnings' | 'groups'> {
  const secrets = (list: string[]) => list.filter((secret) => secret !== '');
  return {
    file,
    source,
    server: {
      port: source.server.port,
      host: source.server.host,
      bodyLimit: parseSize(source.server.bodyLimit)!,
      maxEventAgeMs: parseDuration(source.server.maxEventAge)!,
      maxFutureSkewMs: parseDuration(source.server.maxFutureSkew)!,
      requestTimeoutMs: parseDuration(source.server.requestTimeout)!,
      idleTimeoutMs: parseDuration(source.server.idleTimeout)!,
      drainTimeMs: parseDuration(source.server.drainTime)!,
    },
    store: resolveStore(source.store),
    jogg: {
      secrets: secrets(source.jogg.secrets),
      endpoints: source.jogg.endpoints.map((e) => ({ name: e.name, secrets: secrets(e.secrets), events: e.events, status: e.status })),
      apiKey: source.jogg.apiKey || undefined,
      apiUrl: source.jogg.apiUrl,
      publicUrl: source.jogg.publicUrl || undefined,
      sync: {
        auto: source.jogg.sync.auto,
        intervalMs: parseDuration(source.jogg.sync.interval)!,
        allowUnknownEvents: source.jogg.sync.allowUnknownEvents,
      },
    },
    delivery: {
      concurrency: source.delivery.concurrency,
      pollIntervalMs: parseDuration(source.delivery.pollInterval)!,
      leaseMs: parseDuration(source.delivery.lease)!,
    },
    sinks,
    routes,
  };
}

function resolveStore(store: StoreConfig): LoadedConfig['store'] {
  return {
    driver: store.driver, path: store.path, url: store.url, poolSize: store.poolSize,
    schema: store.schema, retentionMs: parseDuration(store.retention)!,
  };
}

const TYPE_CONSTRAINTS = new Set(['isInt', 'isNumber', 'isString', 'isBoolean', 'isArray', 'isObject', 'nestedValidation', 'whitelistValidation']);

/** When a value has the wrong type, say that alone ("must be an integer"), not also that it is out of range. */
/**
 * A list's problem that names its bad entries (quoted, as the messages do), or says one is not a string, is placed at
 * the first of them, so the line given is the entry's, also in a block list where each has a line of its own; the path
 * stays the list's.
 */
function namedEntry(value: unknown, constraint: string, message: string, path: Path): Path {
  if (!Array.isArray(value)) return path;
  // "each value in by must be a string" names none: the first entry that is not one
  const index = constraint === 'isString'
    ? value.findIndex((entry) => typeof entry !== 'string')
    : value.findIndex((entry) => typeof entry === 'string' && message.includes(JSON.stringify(entry)));
  return index < 0 ? path : [...path, index];
}

/** class-validator's wording where it reads badly: "must contain at least 1 elements". */
function readable(message: string): string {
  return message.replace(/ must contain at least 1 elements$/, ' must list at least one');
}

function relevant(constraints: Record<string, string>): [string, string][] {
  const all = Object.entries(constraints);
  const typeErrors = all.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return typeErrors.length ? typeErrors : all;
}

/** The keys a config class accepts (those with a validation rule; the others are refused as unknown). */
function knownKeys(target: object | undefined): string[] {
  if (!target) return [];
  const rules = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))];
}

/** Collects problems and gives each the position of its path in the document. */
class ProblemList {
  private readonly problems: ConfigProblem[] = [];

  constructor(readonly file: string, private readonly doc: Document, readonly counter: LineCounter) {}

  get count(): number {
    return this.problems.length;
  }

  raw(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  add(path: Path, message: string, atKey = false, at: Path = path): void {
    this.problems.push(this.locate(path, message, atKey, at));
  }

  /** A problem with its position in the document (not recorded: warnings use it too); `at` is where, when not `path`. */
  locate(path: Path, message: string, atKey = false, at: Path = path): ConfigProblem {
    const pos = locate(this.doc, this.counter, at, atKey) ?? locate(this.doc, this.counter, path, atKey);
    return { file: this.file, line: pos?.line, col: pos?.col, path: formatPath(path), message };
  }

  addValidation(errors: ValidationError[], base: Path, parentIsArray = false): void {
    for (const error of errors) {
      const segment = parentIsArray && /^\d+$/.test(error.property) ? Number(error.property) : error.property;
      const path = [...base, segment];
      for (const [name, message] of relevant(error.constraints ?? {})) {
        if (name === 'whitelistValidation') this.add(path, `unknown key "${error.property}"${suggest(error.property, knownKeys(error.target), 'valid keys')}`, true);
        else this.add(path, readable(message), false, namedEntry(error.value, name, message, path));
      }
      if (error.children?.length) this.addValidation(error.children, path, Array.isArray(error.value));
    }
  }

  error(): ConfigError {
    const sorted = [...this.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    return new ConfigError(this.file, sorted);
  }
}
