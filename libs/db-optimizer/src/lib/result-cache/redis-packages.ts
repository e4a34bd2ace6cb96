import { REDIS_PACKAGES_MISSING } from './result-cache.messages';

/**
 * The packages only Redis needs, optional peers of `@db-optimizer/core`: an app without
 * `redisUrl` neither installs nor loads them.
 */
export const REDIS_PACKAGES = ['ioredis', 'cache-manager', 'cache-manager-ioredis-yet', 'keyv'] as const;

/**
 * Loads a module that imports the Redis packages, called only once Redis is configured, so
 * that `require('@db-optimizer/core')` and a module without Redis load none of them. A
 * missing package fails with a sentence naming the install instead of Node's bare
 * "Cannot find module".
 *
 * @example
 * const { RedisSide } = await loadRedisModule(() => import('./redis-side'));
 */
export async function loadRedisModule<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = missingRedisPackage(error);
    if (missing === undefined) throw error;
    throw new Error(REDIS_PACKAGES_MISSING(missing, REDIS_PACKAGES), { cause: error });
  }
}

/** The Redis package a failed require names, if it is one of ours. */
function missingRedisPackage(error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'MODULE_NOT_FOUND') return undefined;
  const name = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
  return REDIS_PACKAGES.find((pkg) => name === pkg || name?.startsWith(`${pkg}/`));
}
