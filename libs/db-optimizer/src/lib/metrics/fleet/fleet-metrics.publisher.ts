import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../../core/db-optimizer.constants';
import { parseRedisTarget } from '../../options/redis-target';
import type { ResolvedDbOptimizerOptions } from '../../options/resolved-options.interface';
import { databaseIdentity, namespaceOf } from '../../result-cache/cache-key';
import { RESULT_CACHE_REDIS_PREFIX } from '../../result-cache/result-cache.constants';
import { FLEET_METRICS_JOB_NAME, FLEET_SNAPSHOT_TTL_INTERVALS } from '../metrics.constants';
import { FLEET_PUBLISH_FAILED } from '../metrics.messages';
import { FleetSnapshotSource, MetricsService } from '../metrics.service';
import { decodeFleetSnapshot, encodeFleetSnapshot, FleetSnapshot } from './fleet-snapshot';
import type { RedisFleetStore } from './redis-fleet-store';
import { loadRedisModule } from '../../result-cache/redis-packages';
import type { RedisTarget } from '../../options/redis-target';

/**
 * Publishes this instance's metrics snapshot to Redis every `fleetMetricsIntervalMs`, with
 * a TTL of 3 intervals, and reads the others' for `MetricsService.getFleetMetrics()`.
 * Instances share a fleet when they share Redis and the namespace (`cacheNamespace`, by
 * default derived from the primary's address, as for the cache). Redis failures are
 * logged once per outage and never reach callers. The interval is registered in
 * `SchedulerRegistry` as `'db-optimizer:fleet-metrics'` when the app has one.
 * @publicApi
 *
 * @example
 * await moduleRef.get(FleetMetricsPublisher).publishNow();
 * const fleet = await moduleRef.get(MetricsService).getFleetMetrics();
 */
@Injectable()
export class FleetMetricsPublisher implements FleetSnapshotSource, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FleetMetricsPublisher.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Where to publish: undefined without Redis or with the interval at 0. */
  private readonly destination: { target: RedisTarget; key: string; timeoutMs: number } | undefined;
  private store: RedisFleetStore | undefined;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private publishedCount = 0;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions,
    private readonly metrics: MetricsService,
    @Optional() private readonly schedulerRegistry?: SchedulerRegistry,
  ) {
    this.intervalMs = options.fleetMetricsIntervalMs;
    if (options.redisUrl === undefined || this.intervalMs <= 0) return;
    const namespace = options.cacheNamespace ?? namespaceOf(databaseIdentity(options.primaryUrl));
    // Its own hash tag: fleet traffic lands on one shard, not necessarily the cache versions' one.
    const key = `{${RESULT_CACHE_REDIS_PREFIX}:fleet:${namespace}}`;
    this.destination = { target: parseRedisTarget(options.redisUrl), key, timeoutMs: Math.max(options.cacheRedisTimeoutMs, 500) };
  }

  /** Snapshots this instance has published so far. */
  get published(): number {
    return this.publishedCount;
  }

  async onModuleInit(): Promise<void> {
    if (!this.destination) return;
    const { target, key, timeoutMs } = this.destination;
    // Loaded only now: without Redis, ioredis (an optional peer) is never loaded.
    const { RedisFleetStore } = await loadRedisModule(() => import('./redis-fleet-store'));
    this.store = new RedisFleetStore(target, key, timeoutMs, (error) => this.fail(error));
    this.metrics.connectFleet(this);
    await this.store.connect().catch((error: unknown) => this.fail(error));
    this.timer = setInterval(() => void this.publishNow(), this.intervalMs);
    this.timer.unref();
    this.schedulerRegistry?.addInterval(FLEET_METRICS_JOB_NAME, this.timer);
    await this.publishNow();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.store) return;
    clearInterval(this.timer);
    if (this.schedulerRegistry?.doesExist('interval', FLEET_METRICS_JOB_NAME)) this.schedulerRegistry.deleteInterval(FLEET_METRICS_JOB_NAME);
    this.metrics.connectFleet(undefined);
    await this.store.remove(this.instanceId).catch(() => undefined);
    this.store.close();
  }

  /** Publishes now (the interval calls it); resolves false when Redis did not take it. Never throws. */
  async publishNow(): Promise<boolean> {
    if (!this.store) return false;
    try {
      const snapshot = encodeFleetSnapshot(this.metrics.fleetSnapshot(this.instanceId));
      await this.store.publish(this.instanceId, snapshot, this.intervalMs * FLEET_SNAPSHOT_TTL_INTERVALS);
      this.publishedCount++;
      this.failing = false;
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  async readSnapshots(): Promise<FleetSnapshot[]> {
    if (!this.store) return [];
    try {
      return (await this.store.readAll()).flatMap((text) => decodeFleetSnapshot(text) ?? []);
    } catch (error) {
      this.fail(error);
      return [];
    }
  }

  private fail(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(FLEET_PUBLISH_FAILED(error instanceof Error ? error.message : String(error)));
  }
}
