import { randomUUID } from 'node:crypto';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import type { CacheMetricsSink } from '../core/cache-metrics-sink.interface';
import type { PoolManagerService } from '../pool/pool-manager.service';
import type { ClassificationService } from '../classify/classification.service';
import { CacheInvalidator } from './cache-invalidator';
import { databaseIdentity, DatabaseIdentity, namespaceOf } from './cache-key';
import type { CachedEntry } from './cached-entry';
import { CacheReader } from './cache-reader';
import { cacheModeOf, isServable } from './cache-mode';
import { DataPositions } from './data-positions';
import type { ReplicaState } from '../routing/replica-state';
import type { ConsistencyTracker } from '../routing/consistency-tracker';
import { laterLsn } from '../core/lsn';
import type { ResultCacheMode } from './result-cache-stats.interface';
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
import { VersionCapture, VersionMap } from './coherence/version-map';

/** The pieces of an enabled result cache, wired together. */
export interface CacheParts {
  identity: DatabaseIdentity;
  /** Redis namespace: `dbo:<hash of host:port/database>` unless overridden. */
  prefix: string;
  /** This instance, in the messages it publishes. */
  origin: string;
  mode: ResultCacheMode;
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
  /** What the router knows of each replica: its replay position bounds what a load there returns. */
  replicas(): readonly ReplicaState[];
  /** The Redis side once created (`onModuleInit`); undefined before and without `redisUrl`. */
  redis(): RedisSide | undefined;
  /** Writes whose position could not be read: their number, and the position that covers them once known. */
  unpositioned: Pick<ConsistencyTracker, 'unpositionedMark' | 'positionCovering'>;
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
  const mode = cacheModeOf(options);
  // Where other instances' writes cannot be heard, only young entries may be served (see ResultCacheService).
  const policy = { mode, outageMaxAgeMs: tuning.outageMaxAgeMs, redisUp, now: Date.now };
  const reader = new CacheReader({
    memory,
    counters,
    recordLookup: (level, hit) => metrics.recordCacheLookup(level, hit),
    recordConsistencyBypass: (level) => metrics.recordCacheConsistencyBypass(level),
    positions: new DataPositions(services.replicas, () => coordinator.map.latestLsn),
    usableL2: () => (redisUp() ? services.redis()?.l2 : undefined),
    redisConfigured,
    servable: (entry: CachedEntry) => isServable(policy, entry.loadedAt),
    refreshAheadRatio: tuning.refreshAheadRatio,
    now: Date.now,
  });
  return {
    identity,
    prefix: `${RESULT_CACHE_REDIS_PREFIX}:${tuning.namespace ?? namespaceOf(identity)}`,
    origin: randomUUID(),
    mode,
    query,
    memory,
    counters,
    coordinator,
    planner: {
      identity,
      safetyOf: (statement) => classification.safetyOf(statement),
      dependencies: analyzer,
      capture: (dependencies) => withCoveringPosition(coordinator.capture(dependencies), services.unpositioned),
    },
    reader,
    invalidator: new CacheInvalidator(analyzer, coordinator, () => services.unpositioned.unpositionedMark),
  };
}

/**
 * A capture whose versions include a write without a known position: its load must reach the
 * position that covers that write, which is none (the primary answers) until the lag monitor
 * has read one.
 */
function withCoveringPosition(capture: VersionCapture, unpositioned: Pick<ConsistencyTracker, 'positionCovering'>): VersionCapture {
  const mark = capture.unpositionedMark;
  if (mark === undefined) return capture;
  return { ...capture, minLsn: laterLsn(capture.minLsn, unpositioned.positionCovering(mark)) };
}
