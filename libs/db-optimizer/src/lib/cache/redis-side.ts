import { Logger } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import type { ChangeMessage } from './change-message';
import type { MemoryCache } from './memory-cache';
import { createRedisConnection, RedisConnection } from './redis-connection';
import { RedisL2 } from './redis-l2';
import { RedisLink } from './redis-link';
import { RedisVersions, versionKeys } from './redis-versions';
import { REDIS_CONNECT_TIMEOUT_MS } from './result-cache.constants';
import { REDIS_BACK, REDIS_DOWN } from './result-cache.messages';
import type { ResultCacheCounters } from './result-cache-counters';
import { epochMs, VersionCoordinator } from './version-coordinator';
import { laterLsn } from './version-stamp';
import { withTimeout } from './with-timeout';

/** What the Redis side needs from the rest of the cache. */
export interface RedisSideOptions {
  url: string;
  /** Namespace of keys and channel: shared by every instance on the same database. */
  prefix: string;
  /** Identifies this instance's own messages. */
  origin: string;
  timeoutMs: number;
  healthCheckIntervalMs: number;
  coordinator: VersionCoordinator;
  memory: MemoryCache;
  counters: ResultCacheCounters;
  /** The primary's WAL position now, for the epoch bump ending an outage (undefined without replicas). */
  currentLsn(): Promise<bigint | undefined>;
}

/**
 * Redis for the result cache: L2 entries, version counters and the change channel, with
 * its health. Starting syncs the versions from Redis (no flush). Coming back from an
 * outage bumps the global epoch instead: this instance may have missed other instances'
 * changes, and its own were not published, so nothing cached before can be trusted.
 */
export class RedisSide {
  private readonly logger = new Logger('ResultCache:Redis');
  readonly link: RedisLink;
  readonly l2: RedisL2;
  private readonly versions: RedisVersions;
  private readonly feed: ChangeFeed;
  private lostContact = false;

  private constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisSideOptions,
  ) {
    const keys = versionKeys(options.prefix);
    this.versions = new RedisVersions(connection.client, keys, options.origin);
    this.feed = new ChangeFeed((message) => this.receive(message));
    connection.subscriber.on('message', (channel: string, text: string) => {
      if (channel === keys.channel) this.feed.receive(text);
    });
    this.link = new RedisLink(
      connection,
      { commandTimeoutMs: options.timeoutMs, healthCheckIntervalMs: options.healthCheckIntervalMs, connectTimeoutMs: REDIS_CONNECT_TIMEOUT_MS },
      { onUp: () => this.bringInLine(keys.channel), onDown: (reason) => this.onDown(reason) },
    );
    this.l2 = new RedisL2(connection.cache, options.prefix, options.timeoutMs, options.counters, (reason) => this.link.markDown(reason));
    options.coordinator.attach({ versions: this.versions, feed: this.feed, link: this.link, timeoutMs: options.timeoutMs });
  }

  /** Creates the clients; `start()` connects them. */
  static async create(options: RedisSideOptions): Promise<RedisSide> {
    let side: RedisSide | undefined;
    const connection = await createRedisConnection(options.url, options.timeoutMs, (error) => side?.onClientError(error));
    side = new RedisSide(connection, options);
    return side;
  }

  get malformedMessages(): number {
    return this.feed.malformed;
  }

  start(): Promise<void> {
    return this.link.start();
  }

  stop(): Promise<void> {
    return this.link.stop();
  }

  private async bringInLine(channel: string): Promise<void> {
    const { coordinator, memory, timeoutMs } = this.options;
    await withTimeout(this.connection.subscriber.subscribe(channel), timeoutMs, 'Redis SUBSCRIBE');
    if (this.lostContact) {
      // Loads after the flush must see every write of the outage, this instance's and others'.
      const lsn = laterLsn(coordinator.map.latestLsn, await this.options.currentLsn().catch(() => undefined));
      const stamp = await coordinator.viaRedis(
        { versions: this.versions, feed: this.feed, link: this.link, timeoutMs },
        { flushAll: true, tables: [], lsn },
      );
      memory.clear();
      this.logger.log(REDIS_BACK(String(stamp)));
    }
    const synced = await withTimeout(this.versions.readAll(), timeoutMs, 'Redis HGETALL');
    coordinator.map.applySynced(synced.epoch, synced.all, synced.wide);
    this.lostContact = false;
  }

  private onDown(reason: string): void {
    this.lostContact = true;
    this.options.counters.outages++;
    this.logger.warn(REDIS_DOWN(reason));
  }

  private onClientError(error: Error): void {
    this.options.counters.redisErrors++;
    this.link.markDown(error.message);
  }

  private receive(message: ChangeMessage): void {
    this.options.coordinator.map.apply(message.change);
    if (message.origin === this.options.origin) return;
    this.options.counters.received++;
    if (Number.isFinite(message.sentAt)) this.options.counters.crossInstanceWindow.recordMs(epochMs() - message.sentAt);
  }
}
