import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { ConnectionOptions } from 'node:tls';
import { Pool, PoolClient, type PoolConfig } from 'pg';
import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError } from '../core/errors/connection-errors';
import { CLIENT_RELEASED_TWICE, CONNECT_FAILED, POOL_CLOSED } from '../core/errors/messages';
import { PoolExhaustedError } from '../core/errors/pool-exhausted.error';
import { LatencyHistogram } from '../core/latency-histogram';
import { closeOldestIdle, serveQueuedCallers, setPoolMax } from './pg-pool-internals';
import type { PoolRole } from '../core/pool-role';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { PgPoolConfig } from '../options/db-optimizer-options.interface';

/** Everything one pool needs to open connections. */
export interface ManagedPoolConfig {
  role: PoolRole;
  /** Unique name, e.g. `primary`, `read_replica[0]`, `analytics`. */
  name: string;
  url: string;
  min: number;
  max: number;
  acquireTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  ssl?: boolean | ConnectionOptions;
  applicationName: string;
  /** pg settings passed through (`poolConfig`), over `ssl` and `applicationName`. */
  poolConfig?: PgPoolConfig;
}

/** Pool counters, pg-pool's vocabulary plus acquisition timing. */
export interface PoolStats {
  name: string;
  role: PoolRole;
  server: string;
  total: number;
  idle: number;
  waiting: number;
  /** Current limit (auto-sizing moves it between min and max). */
  limit: number;
  min: number;
  max: number;
  acquisitions: number;
  acquisitionP50Ms: number;
  acquisitionP99Ms: number;
  /** Clients closed because they came back above the limit, inside a transaction, or holding session state. */
  destroyedOnRelease: number;
}

// pg-pool's message when a queued connect() times out (the pool was full).
const QUEUE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/**
 * One `pg` pool for one server, with what pg-pool lacks: a limit that can move
 * at run time (shrinking on release, never killing busy clients), timed
 * acquisition, an error handler on every checked-out client, and a guard
 * against clients returning inside a transaction.
 */
export class ManagedPool {
  readonly role: PoolRole;
  readonly name: string;
  /** `host:port`, never the URL: URLs may carry passwords. */
  readonly server: string;
  readonly min: number;
  readonly max: number;
  private readonly pool: Pool;
  private readonly logger: Logger;
  private readonly acquisitionHistogram = new LatencyHistogram();
  private readonly leased = new WeakSet<PoolClient>();
  private currentLimit: number;
  private acquisitionCount = 0;
  private destroyedCount = 0;
  private endPromise: Promise<void> | undefined;
  private readonly acquisitionListeners: Array<(pool: ManagedPool, durationMs: number) => void> = [];

  constructor(config: ManagedPoolConfig) {
    this.role = config.role;
    this.name = config.name;
    this.min = config.min;
    this.max = config.max;
    this.currentLimit = config.max;
    const url = new URL(config.url);
    this.server = `${url.hostname}:${url.port || '5432'}`;
    this.logger = new Logger(`ManagedPool:${config.name}`);
    this.pool = new Pool({
      application_name: config.applicationName,
      statement_timeout: config.statementTimeoutMs > 0 ? config.statementTimeoutMs : undefined,
      ...(config.ssl !== undefined && { ssl: config.ssl }),
      // After the defaults: the URL's own settings (sslmode, application_name) win, as in pg.
      ...connectionTarget(config.url, config.poolConfig),
      ...config.poolConfig,
      max: config.max,
      min: config.min,
      idleTimeoutMillis: config.idleTimeoutMs,
      // pg waits forever by default; this bounds both the queue wait and the connect.
      connectionTimeoutMillis: config.acquireTimeoutMs,
    });
    // Without a listener, an idle client's error (server restart) crashes the process.
    this.pool.on('error', (error) => this.logger.warn(`Idle connection lost: ${error.message}`));
  }

  get totalCount(): number {
    return this.pool.totalCount;
  }

  get idleCount(): number {
    return this.pool.idleCount;
  }

  get waitingCount(): number {
    return this.pool.waitingCount;
  }

  /** Clients checked out right now. */
  get busyCount(): number {
    return this.pool.totalCount - this.pool.idleCount;
  }

  get limit(): number {
    return this.currentLimit;
  }

  get ended(): boolean {
    return this.endPromise !== undefined;
  }

  get acquisitions(): number {
    return this.acquisitionCount;
  }

  /**
   * Calls `listener` after each successful acquisition with its wait (metrics,
   * auto-sizing). It runs on every checkout: keep it cheap. Returns an unsubscribe.
   */
  addAcquisitionListener(listener: (pool: ManagedPool, durationMs: number) => void): () => void {
    this.acquisitionListeners.push(listener);
    return () => {
      const index = this.acquisitionListeners.indexOf(listener);
      if (index >= 0) this.acquisitionListeners.splice(index, 1);
    };
  }

  /**
   * Moves the limit within [min, max]. Growing helps the next `connect()` at
   * once (pg-pool reads `options.max` live); shrinking closes idle clients now
   * and busy ones only when they come back.
   */
  setLimit(limit: number): number {
    const bounded = Math.max(Math.max(this.min, 1), Math.min(this.max, Math.round(limit)));
    const added = bounded - this.currentLimit;
    this.currentLimit = bounded;
    setPoolMax(this.pool, bounded);
    if (added > 0) serveQueuedCallers(this.pool, added);
    return bounded;
  }

  /** Checks out a client, waiting at most `acquireTimeoutMs`. Pair with `release()`. */
  async acquire(): Promise<PoolClient> {
    if (this.endPromise) throw new Error(POOL_CLOSED(this.name));
    const startedAt = performance.now();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      const waitedMs = performance.now() - startedAt;
      if (error instanceof Error && error.message.includes(QUEUE_TIMEOUT_MESSAGE)) {
        throw new PoolExhaustedError(this.name, this.currentLimit, waitedMs, { cause: error });
      }
      throw new DatabaseUnavailableError(CONNECT_FAILED(this.name, this.server), this.name, { cause: error });
    }
    const durationMs = performance.now() - startedAt;
    this.acquisitionCount++;
    this.acquisitionHistogram.recordMs(durationMs);
    for (const listener of this.acquisitionListeners) listener(this, durationMs);
    this.leased.add(client);
    // A checked-out client has no listener of pg-pool's: without ours, its error would crash the process.
    client.on('error', this.onLeasedClientError);
    return client;
  }

  /**
   * Returns a client. It is closed instead of reused when it failed at the
   * connection level, is still inside a transaction, the pool is above its limit,
   * or the caller says so (`discard`: it holds session state the next user must not inherit).
   */
  release(client: PoolClient, error?: unknown, discard = false): void {
    if (!this.leased.has(client)) throw new Error(CLIENT_RELEASED_TWICE(this.name));
    this.leased.delete(client);
    client.removeListener('error', this.onLeasedClientError);
    const destroy =
      discard ||
      (error !== undefined && isConnectionError(error)) ||
      client.getTransactionStatus?.() !== 'I' ||
      this.pool.totalCount > this.currentLimit;
    if (destroy) this.destroyedCount++;
    client.release(destroy ? (error instanceof Error ? error : true) : undefined);
  }

  /** Runs `work` on a checked-out client and always releases it. */
  async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    try {
      const result = await work(client);
      this.release(client);
      return result;
    } catch (error) {
      this.release(client, error);
      throw error;
    }
  }

  /** Opens `min` connections ahead of traffic so the first requests do not pay for connecting. */
  async warmUp(): Promise<void> {
    const outcomes = await Promise.allSettled(Array.from({ length: this.min }, () => this.acquire()));
    // Every connection that did open goes back, even when others failed: none may leak.
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') this.release(outcome.value);
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Closes idle clients above the limit now (busy ones close when released). */
  trimIdle(): void {
    this.destroyedCount += closeOldestIdle(this.pool, this.pool.totalCount - this.currentLimit);
  }

  stats(): PoolStats {
    return {
      name: this.name,
      role: this.role,
      server: this.server,
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
      limit: this.currentLimit,
      min: this.min,
      max: this.max,
      acquisitions: this.acquisitionCount,
      acquisitionP50Ms: this.acquisitionHistogram.percentileMs(50),
      acquisitionP99Ms: this.acquisitionHistogram.percentileMs(99),
      destroyedOnRelease: this.destroyedCount,
    };
  }

  /** Ends the pool once; later calls return the same promise. */
  end(): Promise<void> {
    this.endPromise ??= this.pool.end();
    return this.endPromise;
  }

  private readonly onLeasedClientError = (error: Error): void => {
    this.logger.warn(`Checked-out connection failed: ${error.message}`);
  };
}

/**
 * Where to connect. pg lets a `connectionString` override the config's own fields (an
 * absent password becomes ''), so when `poolConfig` brings a password (a function for IAM
 * tokens) the URL is parsed here and the password left to `poolConfig`.
 */
function connectionTarget(url: string, poolConfig: PgPoolConfig | undefined): PoolConfig {
  if (poolConfig?.password === undefined) return { connectionString: url };
  const { password: _fromUrl, ...target } = parseIntoClientConfig(url);
  return target;
}
