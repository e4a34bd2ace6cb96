import { Cluster } from 'ioredis';
import { reconnectWhenEndedUnasked, type RedisClient } from '../redis-client';
import type { RedisConnection } from '../redis-connection';
import { REDIS_QUIT_TIMEOUT_MS } from '../result-cache.constants';
import { withTimeout } from '../../core/with-timeout';

/** What the cache does when the link changes state. */
export interface RedisLinkHooks {
  /** Both clients are connected: bring this instance in line (subscribe, sync, epoch). Throwing keeps the link down. */
  onUp(): Promise<void>;
  /** Runs once the link is up (writes now go through Redis); throwing takes it down again. */
  afterUp(): Promise<void>;
  /** The link was lost (or is suspect): stop trusting Redis until `onUp` succeeds again. */
  onDown(reason: string): void;
}

/** Timings of the link. */
export interface RedisLinkTimings {
  commandTimeoutMs: number;
  healthCheckIntervalMs: number;
  connectTimeoutMs: number;
}

/**
 * Events of a cluster client that mean a node or a sharded subscriber was lost: the
 * cluster as a whole stays 'ready' (no 'close') when one master dies, yet messages on its
 * shard are lost until the replica takes over, so the link must go down.
 */
const CLUSTER_LOSS_EVENTS = ['-node', 'node error', '-subscriber', 'nodeError'] as const;

/**
 * Health of the result cache's Redis: up only once `onUp` has succeeded and until any
 * failure (a closed connection, an error, a timed-out call, a failed ping, a cluster node
 * or sharded subscriber lost). While down, a timer pings and retries `onUp` when both
 * clients are connected again.
 */
export class RedisLink {
  private state: 'starting' | 'up' | 'down' | 'stopped' = 'starting';
  private generation = 0;
  private bringingUp: Promise<void> | undefined;
  /** A `suspect()` ping in flight. */
  private verifying: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastReason = '';

  constructor(
    private readonly connection: RedisConnection,
    private readonly timings: RedisLinkTimings,
    private readonly hooks: RedisLinkHooks,
  ) {}

  get healthy(): boolean {
    return this.state === 'up';
  }

  /** Why the link went down last. */
  get downReason(): string {
    return this.lastReason;
  }

  /** Connects and brings the cache up; resolves either way (down when Redis does not answer). */
  async start(): Promise<void> {
    for (const client of this.clients) {
      client.on('close', () => this.connectionLost('connection closed'));
      reconnectWhenEndedUnasked(client, () => this.state !== 'stopped');
      client.on('ready', () => {
        if (this.state === 'down') void this.bringUp();
      });
      if (client instanceof Cluster) for (const event of CLUSTER_LOSS_EVENTS) client.on(event, () => this.connectionLost(`Redis Cluster ${event}`));
    }
    this.timer = setInterval(() => void this.check(), this.timings.healthCheckIntervalMs);
    this.timer.unref();
    try {
      await withTimeout(Promise.all(this.clients.map((client) => client.connect())), this.timings.connectTimeoutMs, 'Redis connect');
      await this.bringUp();
    } catch (error) {
      this.markDown((error as Error).message);
    }
    if (this.state !== 'up') this.markDown(this.lastReason || 'not reachable at start');
  }

  /**
   * A caller's call timed out. That alone is no outage: a busy event loop or one slow
   * command looks the same from here, and taking the link down would cost a flush of every
   * instance's memory when it comes back. Both clients are pinged at once instead (bounded
   * by the same timeout, judged after pending I/O): the link goes down only if they fail.
   * Errors other than timeouts go to `markDown`.
   */
  suspect(reason: string): void {
    if (this.state !== 'up' || this.verifying) return;
    this.verifying = this.ping()
      .catch((error: unknown) => this.markDown(`${reason}, then ${(error as Error).message}`))
      .finally(() => {
        this.verifying = undefined;
      });
  }

  /** Reports a failure seen by a caller (an error, a lost connection): the link goes down until it recovers. */
  markDown(reason: string): void {
    if (this.state === 'stopped' || this.state === 'down') return;
    this.state = 'down';
    this.generation++;
    this.lastReason = reason;
    this.hooks.onDown(reason);
  }

  /**
   * A connection was lost (closed, a client error, a cluster node or sharded subscriber gone).
   * Also while down: a bring-up running now (subscribed, counters read) may have lost its
   * subscription since, and the messages with it. It must not count; the next one reads the
   * counters again after the loss. Other failures heard while down (a late echo, a late store)
   * say nothing about the bring-up's connections and leave it alone.
   */
  connectionLost(reason: string): void {
    if (this.state === 'down') {
      this.generation++;
      return;
    }
    this.markDown(reason);
  }

  /** Stops the checks and closes both clients (QUIT, or a plain close when QUIT hangs). */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearInterval(this.timer);
    await Promise.all(
      this.clients.map(async (client) => {
        try {
          if (client.status === 'ready') await withTimeout(client.quit(), REDIS_QUIT_TIMEOUT_MS, 'Redis QUIT');
        } catch {
          // QUIT did not answer: closing the socket is all that is left to do.
        }
        client.disconnect();
      }),
    );
  }

  private get clients(): RedisClient[] {
    return [this.connection.client, this.connection.subscriber];
  }

  private async ping(): Promise<void> {
    await Promise.all(this.clients.map((client) => withTimeout(client.ping(), this.timings.commandTimeoutMs, 'Redis PING')));
  }

  private async check(): Promise<void> {
    if (this.state === 'up') {
      try {
        await this.ping();
      } catch (error) {
        this.markDown((error as Error).message);
      }
      return;
    }
    if (this.state === 'down' && this.clients.every((client) => client.status === 'ready')) await this.bringUp();
  }

  /** Runs `onUp` once at a time; the link is up only if nothing failed meanwhile. */
  private bringUp(): Promise<void> {
    if (this.bringingUp) return this.bringingUp;
    const generation = this.generation;
    this.bringingUp = this.hooks
      .onUp()
      .then(async () => {
        if (this.generation !== generation || this.state === 'stopped') return;
        this.state = 'up';
        try {
          await this.hooks.afterUp();
        } catch (error) {
          this.markDown((error as Error).message);
        }
      })
      .catch((error: unknown) => {
        this.lastReason = (error as Error).message;
        if (this.state === 'starting') this.markDown(this.lastReason);
      })
      .finally(() => {
        this.bringingUp = undefined;
      });
    return this.bringingUp;
  }
}
