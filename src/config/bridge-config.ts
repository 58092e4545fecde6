import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength,
  ValidateNested,
} from '../common/class-validator';
import { RetryConfig } from '../sinks/core/sink-config';
import { SINK_DEFINITIONS } from '../sinks/definitions';
import { IsDuration, IsEventList, IsMapping, IsSize } from '../common/validators';
import { ActiveTimeConfig, GroupConfig } from '../common/group-config';

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class ServerConfig {
  @IsInt() @Min(0) @Max(65535) port = 3000;
  @IsString() host = '0.0.0.0';
  /** Largest webhook body accepted; larger ones get 413. */
  @IsSize() bodyLimit: string | number = '1mb';
  /** Events whose `timestamp` is older than this get 400. */
  @IsDuration() maxEventAge: string | number = '72h';
  /** Events whose `timestamp` is further than this in the future get 400. */
  @IsDuration() maxFutureSkew: string | number = '5m';
  /** A request (headers and body) must arrive within this; a client that trickles its body is cut off with 408. */
  @IsDuration() requestTimeout: string | number = '10s';
  /** A connection that sends nothing for this long is closed. */
  @IsDuration() idleTimeout: string | number = '2m';
  /**
   * After SIGTERM/SIGINT the instance goes on answering this long (webhooks 503 with `Connection: close`,
   * /readyz 503) before it closes its port, so load balancers and kept-alive clients move away without a reset.
   */
  @IsDuration() drainTime: string | number = '1s';
}

export class StoreConfig {
  /** sqlite: embedded, one instance. postgres: several instances share one database. */
  @IsIn(['sqlite', 'postgres']) driver: 'sqlite' | 'postgres' = 'sqlite';
  /** SQLite database file, relative to the working directory. */
  @IsString() @MinLength(1) path = './data/bridge.db';
  /** PostgreSQL connection URL (postgres://user:pass@host:5432/db), for driver postgres. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'url must be a postgres:// URL' }) url?: string;
  @IsInt() @Min(1) @Max(200) poolSize = 10;
  /** Events whose deliveries are all delivered are deleted after this long (by the leader instance). */
  @IsDuration() retention: string | number = '7d';
  /** PostgreSQL schema to keep the tables in (created if missing). */
  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'schema must be a plain identifier' }) schema?: string;
}

export class JoggEndpointConfig {
  /** Used in the URL: /webhooks/jogg/<name>. */
  @Matches(NAME_PATTERN, { message: 'name must start with a letter or digit and use only letters, digits, "_", "-" and "."' })
  name!: string;
  /** Secrets that verify webhooks sent to this endpoint (sync adds the ones JoggAI generates). */
  @IsArray() @IsString({ each: true }) secrets: string[] = [];
  /** For sync: the events JoggAI should send here, or "auto" (every catalogue event some route matches). */
  @IsEventList() events: string[] | 'auto' = 'auto';
  @IsIn(['enabled', 'disabled']) status: 'enabled' | 'disabled' = 'enabled';
}

export class SyncConfig {
  /** Apply the plan at start and then every interval. */
  @IsBoolean() auto = false;
  @IsDuration() interval: string | number = '10m';
  /** Allow event names that are not (yet) in JoggAI's catalogue. */
  @IsBoolean() allowUnknownEvents = false;
}

export class JoggConfig {
  /** Secrets that verify webhooks sent to /webhooks/jogg. Empty strings are ignored. */
  @IsArray() @IsString({ each: true }) secrets: string[] = [];
  /** JoggAI API key, for sync (keep it in the environment). */
  @IsOptional() @IsString() apiKey?: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) apiUrl = 'https://api.jogg.ai';
  /** Where JoggAI reaches this bridge (https); managed endpoints are publicUrl + /webhooks/jogg/<name>. */
  @IsOptional() @IsString() publicUrl?: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => JoggEndpointConfig) endpoints: JoggEndpointConfig[] = [];
  @ValidateNested() @IsMapping() @Type(() => SyncConfig) sync: SyncConfig = new SyncConfig();
}

export class CircuitConfig {
  /** Transient failures in a row after which a sink counts as down (its circuit opens). */
  @IsInt() @Min(1) @Max(1000) failures = 5;
  /** Wait before the first probe of a sink that is down; doubles after each failed probe. */
  @IsDuration() probeInitial: string | number = '1s';
  /** Longest wait between two probes. */
  @IsDuration() probeMax: string | number = '1m';
}

export class DeliveryConfig {
  /** Deliveries in flight per sink, unless the sink sets its own. */
  @IsInt() @Min(1) @Max(1000) concurrency = 8;
  /** Longest wait before the dispatcher looks for due deliveries again. */
  @IsDuration() pollInterval: string | number = '1s';
  /** How long a claimed delivery belongs to its worker; a crashed worker's claims expire after it. */
  @IsDuration() lease: string | number = '60s';
  /** When a sink counts as down and how often it is probed (see README, Delivery). */
  @ValidateNested() @IsMapping() @Type(() => CircuitConfig) circuit: CircuitConfig = new CircuitConfig();
}

export class MatchConfig {
  /** Event names or globs (`*_failed`, `generated_*_video_success`, `*`). */
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) events!: string[];
  /** Payload conditions, all of which must hold: `{ "data.status": "failed", "data.duration": { gt: 0 } }`. */
  @IsOptional() @IsObject() where?: Record<string, unknown>;
}

export class RouteConfig {
  @Matches(NAME_PATTERN, { message: 'name must start with a letter or digit and use only letters, digits, "_", "-" and "."' })
  name!: string;
  @ValidateNested() @IsMapping() @Type(() => MatchConfig) match!: MatchConfig;
  /** Sink names. */
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) to!: string[];
  /** false: routes after this one are not evaluated when this one matches. */
  @IsBoolean() continue = true;
  /** Alerting: send this route's events as one message per group (overrides the sink's own `group`). */
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => GroupConfig) group?: GroupConfig;
  /** Alerting: when this route's alerts may go out; outside it they are held, then sent grouped when it opens. */
  @IsOptional() @ValidateNested() @IsMapping() @Type(() => ActiveTimeConfig) active_time?: ActiveTimeConfig;
  // and one key per sink type (`http:`, `slack:`, ...) overriding its templates: declared below, see templateOverrides
}

// A route's `<type>:` key overrides that sink type's templates; the keys come from the table of sink definitions.
for (const { type, templatesClass } of SINK_DEFINITIONS) {
  for (const decorate of [IsOptional(), ValidateNested(), IsMapping(), Type(() => templatesClass)]) decorate(RouteConfig.prototype, type);
}

/** A route's template overrides for one sink type (its `<type>:` key), if it has any. */
export function templateOverrides(route: RouteConfig, type: string): Record<string, unknown> | undefined {
  return (route as unknown as Record<string, Record<string, unknown> | undefined>)[type];
}

export class BridgeConfigFile {
  @ValidateNested() @IsMapping() @Type(() => ServerConfig) server: ServerConfig = new ServerConfig();
  @ValidateNested() @IsMapping() @Type(() => StoreConfig) store: StoreConfig = new StoreConfig();
  @ValidateNested() @IsMapping() @Type(() => JoggConfig) jogg: JoggConfig = new JoggConfig();
  @ValidateNested() @IsMapping() @Type(() => DeliveryConfig) delivery: DeliveryConfig = new DeliveryConfig();
  @ValidateNested() @IsMapping() @Type(() => RetryConfig) retry: RetryConfig = new RetryConfig();
  /** Sinks by name; validated per type after the rest of the file. */
  @IsObject() sinks: Record<string, unknown> = {};
  @IsArray() @ValidateNested({ each: true }) @Type(() => RouteConfig) routes: RouteConfig[] = [];
}
