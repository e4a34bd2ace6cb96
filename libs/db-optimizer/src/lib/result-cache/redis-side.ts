import { Cluster } from 'ioredis';
import { Logger } from '@nestjs/common';
import { ChangeFeed } from './coherence/change-feed';
import type { ChangeMessage } from './coherence/change-message';
import type { MemoryCache } from './memory-cache';
import { ChangeChannel } from './coherence/change-channel';
import { createRedisConnection, RedisConnection } from './redis-connection';
import { RedisL2 } from './redis-l2';
import { RedisLink } from './coherence/redis-link';
import { RedisVersions, versionKeys } from './coherence/redis-versions';
import { PRIMARY_LSN_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS } from './result-cache.constants';
import { REDIS_BACK, REDIS_DOWN, REDIS_NOT_REACHABLE_AT_START } from './result-cache.messages';
import type { ResultCacheCounters } from './result-cache-counters';
import { epochMs, VersionCoordinator, VersionRedis } from './coherence/version-coordinator';
import { laterLsn } from '../core/lsn';
import { withUnpositionedMark } from './write-effects';
import { withTimeout } from '../core/with-timeout';

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
  /** Numbers another instance's change that came without a WAL position (`VersionChange.unpositionedMark`; undefined without replicas). */
  unpositionedChange(): number | undefined;
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
  /** `coordinator.appliedLocally` when this instance was last in line with Redis. */
  private localAtSync = 0;
  private incarnation: string | undefined;
  /** Run id of the server that held the counters at the last sync: another one means a failover or restart. */
  private serverId: string | undefined;
  private everUp = false;
  private readonly channel: ChangeChannel;

  private constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisSideOptions,
  ) {
    const { target } = connection;
    const keys = versionKeys(options.prefix, target.kind === 'cluster' ? 0 : target.db);
    this.channel = new ChangeChannel(connection.subscriber, keys.channel, target.kind === 'cluster');
    this.versions = new RedisVersions(connection.client, keys, options.origin, this.channel.publishCommand);
    this.feed = new ChangeFeed((message) => this.receive(message));
    this.channel.onMessage((text) => this.feed.receive(text));
    this.link = new RedisLink(
      connection,
      { commandTimeoutMs: options.timeoutMs, healthCheckIntervalMs: options.healthCheckIntervalMs, connectTimeoutMs: REDIS_CONNECT_TIMEOUT_MS },
      {
        onUp: () => this.bringInLine(),
        // Changes applied locally between the sync and the link going up: published now that writes go through Redis.
        afterUp: () => options.coordinator.publishUnpublished(this.versionRedis),
        onDown: (reason) => this.onDown(reason),
      },
    );
    const client = connection.client;
    this.l2 = new RedisL2(connection.cache, options.prefix, options.timeoutMs, options.counters, this.link, () =>
      client instanceof Cluster ? undefined : client.stream,
    );
    options.coordinator.attach({ versions: this.versions, feed: this.feed, link: this.link, timeoutMs: options.timeoutMs });
  }

  /** Creates the clients; `start()` connects them. */
  static async create(options: RedisSideOptions): Promise<RedisSide> {
    let side: RedisSide | undefined;
    const connection = await createRedisConnection(options.url, options.timeoutMs, (error) => side?.onClientError(error));
    side = new RedisSide(connection, options);
    return side;
  }

  start(): Promise<void> {
    return this.link.start();
  }

  stop(): Promise<void> {
    this.l2.discardPending();
    return this.link.stop();
  }

  private get versionRedis(): VersionRedis {
    return { versions: this.versions, feed: this.feed, link: this.link, timeoutMs: this.options.timeoutMs };
  }

  /**
   * Subscribes, then reads every counter from Redis, which covers whatever messages were
   * missed meanwhile (no flush needed for those). Three things it cannot cover: changes this
   * instance applied with local stamps (never published, so other instances and L2 know
   * nothing of them), Redis having lost its data (counters gone), and another server
   * holding the counters than at the last sync (a Sentinel or cluster failover, or a
   * restart: the promoted replica may lack the last bumps, replication being asynchronous).
   * Each time the global epoch is bumped and memory cleared: nothing cached before or
   * during the outage is served again, on any instance. Writes that commit while this runs
   * (they still go local) are published as bumps at the end, so coming back under load does
   * not loop.
   */
  private async bringInLine(): Promise<void> {
    const { coordinator, memory, timeoutMs } = this.options;
    const localBefore = coordinator.appliedLocally;
    await withTimeout(this.channel.subscribe(), timeoutMs, 'Redis SUBSCRIBE');
    const incarnation = await withTimeout(this.versions.incarnation(), timeoutMs, 'Redis SET');
    const serverId = await withTimeout(this.versions.serverId(), timeoutMs, 'Redis INFO');
    const redisLostData = this.incarnation !== undefined && incarnation !== this.incarnation;
    const otherServer = this.serverId !== undefined && serverId !== this.serverId;
    if (localBefore > this.localAtSync || redisLostData || otherServer) await this.flushEverywhere();
    const synced = await withTimeout(this.versions.readAll(this.options.unpositionedChange), timeoutMs, 'Redis HGETALL');
    coordinator.map.applySynced(synced.epoch, synced.all, synced.wide);
    // A write that went local while this ran is unpublished: publish it before trusting Redis again.
    await coordinator.publishUnpublished(this.versionRedis);
    // Entries cached before this instance ever reached Redis may predate changes a restarted Redis no longer shows.
    if (!this.everUp) memory.clear();
    this.localAtSync = coordinator.appliedLocally;
    this.incarnation = incarnation;
    this.serverId = serverId;
    this.everUp = true;
  }

  private async flushEverywhere(): Promise<void> {
    const { coordinator, memory, timeoutMs } = this.options;
    // Loads after the flush must see every write of the outage, this instance's and others'.
    const primaryLsn = await withTimeout(this.options.currentLsn(), PRIMARY_LSN_TIMEOUT_MS, 'The primary').catch(() => undefined);
    const lsn = laterLsn(coordinator.map.latestLsn, primaryLsn);
    // Without the primary's position, the outage's writes are at positions unknown here: loads wait for the primary's next one.
    const change = withUnpositionedMark({ flushAll: true, tables: [], lsn }, primaryLsn === undefined ? this.options.unpositionedChange() : undefined);
    // Every change applied locally so far committed before this bump: the flush covers them.
    coordinator.coverUnpublished();
    const stamp = await coordinator.viaRedis({ versions: this.versions, feed: this.feed, link: this.link, timeoutMs }, change);
    memory.clear();
    this.options.counters.flushes++;
    this.logger.log(REDIS_BACK(String(stamp)));
  }

  private onDown(reason: string): void {
    this.options.counters.outages++;
    this.logger.warn(this.everUp ? REDIS_DOWN(reason) : REDIS_NOT_REACHABLE_AT_START(REDIS_CONNECT_TIMEOUT_MS));
  }

  private onClientError(error: Error): void {
    this.options.counters.redisErrors++;
    this.link.connectionLost(error.message);
  }

  private receive(message: ChangeMessage): void {
    // A write without a position: what it changed loads from the primary until this instance's lag monitor
    // reads a position after now. Its own too: the echo can come before Redis' answer, which brings the mark.
    const { change } = message;
    this.options.coordinator.map.apply(message.positionUnknown ? withUnpositionedMark(change, this.options.unpositionedChange()) : change);
    if (message.origin === this.options.origin) return;
    this.options.counters.received++;
    // The steady-state window only: a bump delivered late because Redis hung is an outage, bounded by the outage rules.
    if (this.link.healthy && Number.isFinite(message.sentAt)) this.options.counters.crossInstanceWindow.recordMs(epochMs() - message.sentAt);
  }
}
