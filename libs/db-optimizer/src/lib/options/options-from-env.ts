import type { DbOptimizerOptions } from './db-optimizer-options.interface';
import { CONFLICTING_ENV, INVALID_ENV, MISSING_ENV } from '../core/errors/messages';
import { UNKNOWN_TRIGGER_POLICIES } from '../core/unknown-trigger-policy';
import { redactUrl } from '../core/redact-url';
import { splitHosts } from './primary-candidates';
import { parseRedisTarget } from './redis-target';

/**
 * Builds module options from the environment. Unset variables keep the
 * module defaults; a bad value throws, naming the variable and what it expects.
 * `DB_POOL_MIN_SIZE` / `DB_POOL_MAX_SIZE` / `DB_POOL_MAX_QUERIES` apply to every role; `DB_MULTIPLEX_READS` to every read.
 * `ENABLE_PREDICTIVE_CACHE` (the seed's name) is another name for `ENABLE_CACHE`.
 * `DATABASE_PRIMARY_URL` may list several candidate hosts; `DB_MAX_STALENESS_ON_PRIMARY_LOSS_MS`
 * sets `maxStalenessOnPrimaryLossMs`.
 * @publicApi
 *
 * @example
 * DbOptimizerModule.forRootAsync({ useFactory: () => dbOptimizerOptionsFromEnv() })
 */
export function dbOptimizerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DbOptimizerOptions {
  const primaryUrl = env['DATABASE_PRIMARY_URL'];
  if (!primaryUrl) throw new Error(MISSING_ENV('DATABASE_PRIMARY_URL'));
  // Several candidate hosts are allowed, as libpq allows them (h1:5432,h2:5432): each is checked on its own.
  for (const candidate of splitHosts(primaryUrl)) url(env, 'DATABASE_PRIMARY_URL', candidate);
  const options: DbOptimizerOptions = {
    primaryUrl,
    readReplicaUrls: list(env['DATABASE_READ_REPLICA_URL']).map((value) => url(env, 'DATABASE_READ_REPLICA_URL', value)),
  };
  if (env['DATABASE_ANALYTICS_URL']) options.analyticsReplicaUrl = url(env, 'DATABASE_ANALYTICS_URL', env['DATABASE_ANALYTICS_URL']);
  const min = integer(env, 'DB_POOL_MIN_SIZE', 0);
  const max = integer(env, 'DB_POOL_MAX_SIZE', 1);
  if (min !== undefined && max !== undefined && min > max) {
    throw new Error(INVALID_ENV('DB_POOL_MIN_SIZE', String(min), `at most DB_POOL_MAX_SIZE (${max})`));
  }
  if (min !== undefined || max !== undefined) {
    const sizes = { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
    options.primaryPool = sizes;
    options.readReplicaPool = sizes;
    options.analyticsPool = sizes;
  }
  assign(options, 'slowQueryThresholdMs', integer(env, 'SLOW_QUERY_THRESHOLD_MS', 0));
  assign(options, 'maxStalenessOnPrimaryLossMs', integer(env, 'DB_MAX_STALENESS_ON_PRIMARY_LOSS_MS', 0));
  assign(options, 'acquireTimeoutMs', integer(env, 'DB_ACQUIRE_TIMEOUT_MS', 1));
  assign(options, 'statementTimeoutMs', integer(env, 'DB_STATEMENT_TIMEOUT_MS', 0));
  assign(options, 'enablePreparedStatements', boolean(env, 'ENABLE_PREPARED_STATEMENTS'));
  assign(options, 'enableQueryOptimization', boolean(env, 'ENABLE_QUERY_OPTIMIZATION'));
  assign(options, 'enableCache', sameBoolean(env, 'ENABLE_CACHE', 'ENABLE_PREDICTIVE_CACHE'));
  assign(options, 'cacheUnknownTriggerPolicy', choice(env, 'CACHE_UNKNOWN_TRIGGER_POLICY', UNKNOWN_TRIGGER_POLICIES));
  assign(options, 'maxUsesPerConnection', integer(env, 'DB_POOL_MAX_QUERIES', 0));
  assign(options, 'multiplexReads', integer(env, 'DB_MULTIPLEX_READS', 0));
  assign(options, 'sharedReadMaxMs', integer(env, 'DB_SHARED_READ_MAX_MS', 1));
  assign(options, 'cacheTtlSeconds', integer(env, 'CACHE_TTL_SECONDS', 1));
  assign(options, 'functionVolatilityTtlMs', integer(env, 'DB_FUNCTION_VOLATILITY_TTL_MS', 0));
  assign(options, 'poolResizeIntervalMs', integer(env, 'POOL_RESIZE_INTERVAL_MS', 0));
  assign(options, 'instances', integer(env, 'DB_OPTIMIZER_INSTANCES', 1));
  assign(options, 'reservedConnections', integer(env, 'DB_RESERVED_CONNECTIONS', 0));
  assign(options, 'fleetMetricsIntervalMs', integer(env, 'FLEET_METRICS_INTERVAL_MS', 0));
  if (env['REDIS_URL']) options.redisUrl = redisUrl(env['REDIS_URL']);
  return options;
}

function assign<K extends keyof DbOptimizerOptions>(options: DbOptimizerOptions, key: K, value: DbOptimizerOptions[K] | undefined): void {
  if (value !== undefined) options[key] = value;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function url(env: NodeJS.ProcessEnv, name: string, value: string, protocols = ['postgres:', 'postgresql:']): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(INVALID_ENV(name, redactUrl(value), `a URL such as ${protocols[0]}//user@host:port/…`));
  }
  if (!protocols.includes(parsed.protocol)) throw new Error(INVALID_ENV(name, redactUrl(value), `a URL starting with ${protocols.join(' or ')}//`));
  return value;
}

/** The three URL forms of a Redis deployment (the cluster and sentinel forms list several hosts). */
function redisUrl(value: string): string {
  try {
    parseRedisTarget(value);
  } catch (error) {
    throw new Error(INVALID_ENV('REDIS_URL', redactUrl(value), (error as Error).message.replace(/^.*?; use /, '').replace(/\.$/, '')), { cause: error });
  }
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, minimum: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw new Error(INVALID_ENV(name, raw, `a whole number ≥ ${minimum}`));
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const normalized = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  throw new Error(INVALID_ENV(name, raw, 'true or false'));
}

/** One setting under two names (ours and the seed's): either may be set; both must then agree. */
function sameBoolean(env: NodeJS.ProcessEnv, name: string, alias: string): boolean | undefined {
  const value = boolean(env, name);
  const aliased = boolean(env, alias);
  if (value !== undefined && aliased !== undefined && value !== aliased) {
    throw new Error(CONFLICTING_ENV(name, String(env[name]), alias, String(env[alias])));
  }
  return value ?? aliased;
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new Error(INVALID_ENV(name, raw, `one of ${allowed.join(', ')}`));
  return match;
}
