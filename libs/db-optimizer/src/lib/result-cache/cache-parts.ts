import { randomUUID } from 'node:crypto';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import type { CacheMetricsSink } from '../core/cache-metrics-sink.interface';
import type { PoolManagerService } from '../pool/pool-manager.service';
import type { ClassificationService } from '../classify/classification.service';
import { CacheInvalidator } from './cache-invalidator';
import { databaseIdentity, DatabaseIdentity, namespaceOf } from './cache-key';
import type { CachedEntry } from './cached-entry';
import { CacheReader } from './cache-reader';
import { CacheDependencyAnalyzer } from '../sql/dependencies/cache-dependency-analyzer';
import type { CatalogQuery } from '../pg-catalog/catalog-query';
import { TableCatalog } from '../pg-catalog/dependency-catalog';
import { MemoryCache } from './memory-cache';
import type { ReadPlanner } from './read-plan';
import type { RedisSide } from './redis-side';
import { RESULT_CACHE_REDIS_PREFIX } from './result-cache.constants';
import { ResultCacheCounters } from './result-cache-counters';
import type { ResultCacheTuning } from './result-cache-tuning';
import { VersionCoordinator } from './coherence/version-coordinator';
import { VersionMap } from './coherence/version-map';

/** The pieces of an enabled result cache, wired together. */
export interface CacheParts {
  identity: DatabaseIdentity;
  /** Redis namespace: `dbo:<hash of host:port/database>` unless overridden. */
  prefix: string;
  /** This instance, in the messages it publishes. */
  origin: string;
  query: CatalogQuery;
  memory: MemoryCache;
  counters: ResultCacheCounters;
  coordinator: VersionCoordinator;
  planner: ReadPlanner;
  reader: CacheReader;
  invalidator: CacheInvalidator;
}

/** Services the cache uses, as the Nest service receives them. */
export interface CacheServices {
  options: ResolvedDbOptimizerOptions;
  tuning: ResultCacheTuning;
  pools: PoolManagerService;
  classification: ClassificationService;
  metrics: CacheMetricsSink;
  /** The Redis side once created (`onModuleInit`); undefined before and without `redisUrl`. */
  redis(): RedisSide | undefined;
}

/** Builds every in-process piece; Redis joins later (`RedisSide.create`). */
export function buildCacheParts(services: CacheServices): CacheParts {
  const { options, tuning, pools, classification, metrics } = services;
  const identity = databaseIdentity(options.primaryUrl);
  const query: CatalogQuery = (sql, params) => pools.primary.withClient((client) => client.query(sql, params));
  const analyzer = new CacheDependencyAnalyzer(new TableCatalog(query, { unknownTriggerPolicy: options.cacheUnknownTriggerPolicy }));
  const counters = new ResultCacheCounters();
  const memory = new MemoryCache({ maxEntries: options.cacheMaxEntries, maxBytes: options.cacheMaxBytes });
  const coordinator = new VersionCoordinator(new VersionMap(tuning.maxRowVersions), counters);
  const redisConfigured = options.redisUrl !== undefined;
  const redisUp = (): boolean => services.redis()?.link.healthy === true;
  const reader = new CacheReader({
    memory,
    counters,
    recordLookup: (level, hit) => metrics.recordCacheLookup(level, hit),
    usableL2: () => (redisUp() ? services.redis()?.l2 : undefined),
    redisConfigured,
    // Without Redis news of other instances' writes stops: only young entries may be served (see ResultCacheService).
    servable: (entry: CachedEntry) => !redisConfigured || redisUp() || Date.now() - entry.loadedAt <= tuning.outageMaxAgeMs,
    refreshAheadRatio: tuning.refreshAheadRatio,
    now: Date.now,
  });
  return {
    identity,
    prefix: `${RESULT_CACHE_REDIS_PREFIX}:${tuning.namespace ?? namespaceOf(identity)}`,
    origin: randomUUID(),
    query,
    memory,
    counters,
    coordinator,
    planner: {
      identity,
      safetyOf: (statement) => classification.safetyOf(statement),
      dependencies: analyzer,
      capture: (dependencies) => coordinator.capture(dependencies),
      latestLsn: () => coordinator.map.latestLsn,
    },
    reader,
    invalidator: new CacheInvalidator(analyzer, coordinator),
  };
}
