import { assertNever } from '../core/assert-never';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import type { ResultCacheMode } from './result-cache-stats.interface';

/**
 * How far entries are shared, from the options alone: with Redis, writes reach every
 * instance (`shared`); without it, an instance hears only its own writes, so with several
 * instances (`instances` > 1) entries are capped in age like during a Redis outage
 * (`local-bounded`), and with one they live until their TTL (`local`).
 */
export function cacheModeOf(options: Pick<ResolvedDbOptimizerOptions, 'redisUrl' | 'instances'>): ResultCacheMode {
  if (options.redisUrl !== undefined) return 'shared';
  return options.instances > 1 ? 'local-bounded' : 'local';
}

/** What decides whether an entry may still be served, by age. */
export interface ServablePolicy {
  mode: ResultCacheMode;
  outageMaxAgeMs: number;
  /** Redis connected and in sync (mode `shared` only). */
  redisUp(): boolean;
  now(): number;
}

/**
 * Whether an entry is young enough to serve: any entry while writes can be heard (Redis up,
 * or one instance alone); otherwise only one loaded within `outageMaxAgeMs`, the bound on
 * what other instances' unheard writes can hide.
 */
export function isServable(policy: ServablePolicy, loadedAt: number): boolean {
  switch (policy.mode) {
    case 'local':
      return true;
    case 'shared':
      return policy.redisUp() || policy.now() - loadedAt <= policy.outageMaxAgeMs;
    case 'local-bounded':
      return policy.now() - loadedAt <= policy.outageMaxAgeMs;
    default:
      return assertNever(policy.mode);
  }
}
