import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Pool, PoolClient } from 'pg';
import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError } from '../core/errors/connection-errors';
import { CLIENT_RELEASED_TWICE, CONNECT_FAILED, POOL_CLOSED, SERVER_UNREACHABLE } from '../core/errors/messages';
import { PoolExhaustedError } from '../core/errors/pool-exhausted.error';
import { LatencyHistogram } from '../core/latency-histogram';
import { serverOf } from '../core/redact-url';
import { allowsExitOnIdle, canTakeIdleClients, closeOldestIdle, hasExpired, isConnectionClosing, serveQueuedCallers, setPoolMax, takeIdleClient } from './pg-pool-internals';
import { LEASED, type LeasableClient, markNewClient, OWNER, USES } from './leased-client';
import type { PoolRole } from '../core/pool-role';
import { CircuitBreaker, CircuitState } from './circuit-breaker';
import { FullPoolLine, type FullPoolLineHost } from './full-pool-line';
import { KeptClients } from './kept-clients';
import type { ManagedPoolConfig } from './managed-pool-config';
import { pgPoolConfig } from './pg-pool-config';
import type { PoolStats } from './pool-stats';

// pg-pool's message when a queued connect() times out (the pool was full).
const QUEUE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/** How long a released client the pool keeps may go unused before it goes back to pg-pool (shorter when `idleTimeoutMs` is). */
const KEPT_CLIENT_SWEEP_MS = 1000;

/**
 * Hears each successful checkout: its pool, its wait, and whether `acquireIdle()` took it
 * (`hotPath`): the statement path's synchronous checkout, which the call it serves is
 * recorded right after. `acquire()` says false: jobs, transactions, callers that waited,
 * and the connections shared reads open (those are followed by recorded calls too, but
 * are rare enough to time).
 */
export type AcquisitionListener = (pool: ManagedPool, durationMs: number, hotPath: boolean) => void;

/**
 * One `pg` pool for one server, with what pg-pool lacks: a limit that can move
 * at run time (shrinking on release, never killing busy clients), timed
 * acquisition, an error handler on every checked-out client, a guard
 * against clients returning inside a transaction, and released clients kept
 * for the next checkout without a trip through pg-pool (`KeptClients`).
 */
export class ManagedPool {
  readonly role: PoolRole;
  readonly name: string;
  /** `host:port`, never the URL: URLs may carry passwords. */
  readonly server: string;
  /** The URL this pool connects with, credentials included: for another connection to the same server, never for printing. */
  readonly url: string;
  readonly min: number;
  readonly max: number;
  private readonly pool: Pool;
  /** pg-pool's internals are as `takeIdleClient` expects: warm checkouts skip its queue. */
  private readonly takesIdleClients: boolean;
  private readonly logger: Logger;
  private readonly acquisitionHistogram = new LatencyHistogram();
  private currentLimit: number;
  private acquisitionCount = 0;
  private destroyedCount = 0;
  private endPromise: Promise<void> | undefined;
  private readonly breaker: CircuitBreaker;
  /** Callers waiting for a client of the full pool (when `takesIdleClients`; else pg-pool's own queue). */
  private readonly waiting: FullPoolLine;
  private readonly acquisitionListeners: AcquisitionListener[] = [];
  /**
   * Released clients kept for the next checkout instead of going through pg-pool (when
   * `takesIdleClients`). To pg-pool they are still checked out; to everyone else, idle.
   */
  private readonly kept: KeptClients<LeasableClient>;
  private readonly maxUses: number;
  /** pg-pool's `allowExitOnIdle`: an idle client's socket must not keep the process alive. */
  private readonly unrefIdle: boolean;

  constructor(config: ManagedPoolConfig) {
    this.role = config.role;
    this.name = config.name;
    this.min = config.min;
    this.max = config.max;
    this.currentLimit = config.max;
    this.server = serverOf(config.url);
    this.url = config.url;
    this.logger = new Logger(`ManagedPool:${config.name}`);
    this.breaker = new CircuitBreaker(config.breaker);
    this.pool = new Pool(pgPoolConfig(config));
    this.takesIdleClients = canTakeIdleClients(this.pool);
    this.maxUses = config.maxUses;
    this.unrefIdle = allowsExitOnIdle(this.pool);
    this.kept = new KeptClients((client) => this.handBack(client), config.idleTimeoutMs > 0 ? Math.min(KEPT_CLIENT_SWEEP_MS, config.idleTimeoutMs) : KEPT_CLIENT_SWEEP_MS);
    this.waiting = new FullPoolLine(this.lineHost(), config.acquireTimeoutMs);
    // A closed connection frees a slot: open one for the next caller in line.
    this.pool.on('remove', () => this.waiting.serve());
    // Without a listener, an idle client's error (server restart) crashes the process.
    this.pool.on('error', (error) => this.idleConnectionLost(error));
    // A checked-out client has no listener of pg-pool's: without ours, its error would crash the process.
    // Attached once per client as it opens, not after `connect()` resolves: a server that shuts down right
    // after accepting the login sends its FATAL in the same read, before that promise's continuation runs.
    this.pool.on('connect', (client: LeasableClient) => {
      markNewClient(client, this);
      client.on('error', (error) => {
        if (client[LEASED]) this.logger.warn(`Checked-out connection failed: ${error.message}`);
        // Kept by this pool, the client has none of pg-pool's idle listeners: close it as pg-pool would.
        else if (this.kept.remove(client)) {
          this.idleConnectionLost(error);
          client.release(error);
        }
      });
    });
  }

  get totalCount(): number {
    return this.pool.totalCount;
  }

  get idleCount(): number {
    return this.pool.idleCount + this.kept.length;
  }

  get waitingCount(): number {
    return this.pool.waitingCount + this.waiting.length;
  }

  /** Clients checked out right now. */
  get busyCount(): number {
    return this.pool.totalCount - this.idleCount;
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

  /** The circuit breaker's state: `open` while calls fail at once. */
  get circuit(): CircuitState {
    return this.breaker.state;
  }

  /** Since when the server has not answered (ms since epoch), while the breaker is not closed. */
  get unreachableSinceMs(): number | undefined {
    return this.breaker.openSinceMs;
  }

  /**
   * Calls `listener` after each successful acquisition with its wait (metrics,
   * auto-sizing). It runs on every checkout: keep it cheap. Returns an unsubscribe.
   */
  addAcquisitionListener(listener: AcquisitionListener): () => void {
    this.acquisitionListeners.push(listener);
    return () => {
      const index = this.acquisitionListeners.indexOf(listener);
      if (index >= 0) this.acquisitionListeners.splice(index, 1);
    };
  }

  /**
   * Calls `listener` with each connection the pool has closed and dropped (idle timeout,
   * `maxUses` reached, failure, end), so per-connection state can go with it.
   */
  addRemoveListener(listener: (client: PoolClient) => void): void {
    this.pool.on('remove', listener);
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
    if (added > 0) {
      serveQueuedCallers(this.pool, added);
      this.waiting.serve();
    }
    return bounded;
  }

  /**
   * Checks out a client, waiting at most `acquireTimeoutMs`. Pair with `release()`.
   * While the server's breaker is open, fails at once with `DatabaseUnavailableError`.
   */
  async acquire(): Promise<PoolClient> {
    const idle = this.takeIdle();
    if (idle !== undefined) return this.checkedOut(idle, 0, false);
    if (this.endPromise) throw new Error(POOL_CLOSED(this.name));
    if (!this.breaker.tryPass()) throw this.unreachable();
    let client: PoolClient | undefined;
    const startedAt = performance.now();
    if (this.mustWait()) {
      try {
        client = await this.waiting.wait();
      } catch (error) {
        // A full pool or a closed one says nothing about the server: a probe that only waited ends without a
        // verdict. A connection that failed to open for it was booked by `connectFailed` already.
        if (!(error instanceof DatabaseUnavailableError)) this.breaker.recordInconclusive();
        throw error;
      }
    } else {
      try {
        client = this.takeKept() ?? (await this.pool.connect());
      } catch (error) {
        const failure = this.connectFailed(error, performance.now() - startedAt);
        this.waiting.afterFailedConnect();
        throw failure;
      }
    }
    return this.checkedOut(client, performance.now() - startedAt);
  }

  /**
   * An idle client handed over at once, or undefined when `acquire()` must be awaited (none is
   * idle, callers are in line, the server's breaker is not closed, the pool is closing). For the
   * hot path: the common checkout without a promise; listeners hear `hotPath: true`. Pair with `release()`.
   */
  acquireIdle(): PoolClient | undefined {
    const client = this.takeIdle();
    // Handed over synchronously: no wait to time.
    return client === undefined ? undefined : this.checkedOut(client, 0, true);
  }

  /** An idle client when one may be taken at once, unbooked. */
  private takeIdle(): LeasableClient | undefined {
    // Nobody takes an idle client past a caller already in line; an open breaker is `acquire()`'s to answer.
    if (!this.takesIdleClients || this.waiting.length > 0 || this.endPromise !== undefined || this.breaker.state !== 'closed') return undefined;
    return this.takeWarm();
  }

  /** An idle client: the one this pool kept most recently, else the most recent of pg-pool's idle list. */
  private takeWarm(): LeasableClient | undefined {
    return this.takeKept() ?? takeIdleClient(this.pool);
  }

  /**
   * The most recently kept client, its socket referenced again when idle ones are not. One that
   * outlived pg's `maxLifetimeSeconds` while kept goes to pg-pool, which closes it, and the next is tried.
   */
  private takeKept(): LeasableClient | undefined {
    for (let client = this.kept.take(); client !== undefined; client = this.kept.take()) {
      if (!hasExpired(this.pool, client)) {
        if (this.unrefIdle) client.ref?.();
        return client;
      }
      this.handBack(client);
    }
    return undefined;
  }

  private idleConnectionLost(error: Error): void {
    this.logger.warn(`Idle connection lost: ${error.message}`);
  }

  /** Gives a kept client back to pg-pool's idle list (or lets pg-pool close it: expired, ending). */
  private handBack(client: LeasableClient): void {
    if (this.unrefIdle) client.ref?.();
    client.release();
  }

  /**
   * Whether a caller must wait in the module's own line: the pool is full, or others already
   * wait. Without pg-pool's internals as `takeIdleClient` expects, pg-pool's queue is used.
   */
  private mustWait(): boolean {
    return this.takesIdleClients && (this.waiting.length > 0 || this.pool.totalCount >= this.currentLimit);
  }

  /** What a failed `pool.connect()` means for the caller and the breaker. */
  private connectFailed(error: unknown, waitedMs: number): Error {
    if (error instanceof Error && error.message.includes(QUEUE_TIMEOUT_MESSAGE)) {
      // A full pool says nothing about the server: a probe that only queued ends without a verdict.
      this.breaker.recordInconclusive();
      return new PoolExhaustedError(this.name, this.currentLimit, waitedMs, { cause: error });
    }
    if (!isConnectionError(error)) this.breaker.recordInconclusive();
    else if (this.breaker.recordFailure()) {
      this.logger.warn(`${this.server} stopped answering (${this.breaker.consecutiveFailures} connection failures in a row): calls fail at once until a probe succeeds.`);
    }
    return new DatabaseUnavailableError(CONNECT_FAILED(this.name, this.server), this.name, { cause: error });
  }

  /** Books a checked-out client that took `durationMs` to get: breaker, counters, listeners. */
  private checkedOut(client: PoolClient, durationMs: number, hotPath = false): PoolClient {
    if (this.breaker.recordSuccess()) this.logger.log(`${this.server} answers again: the circuit breaker is closed.`);
    this.acquisitionCount++;
    this.acquisitionHistogram.recordMs(durationMs);
    for (const listener of this.acquisitionListeners) listener(this, durationMs, hotPath);
    (client as LeasableClient)[LEASED] = true;
    return client;
  }

  /**
   * Returns a client. It is closed instead of reused when it failed at the
   * connection level, is still inside a transaction, the pool is above its limit,
   * has served `maxUses` checkouts, or the caller says so (`discard`: it holds session
   * state the next user must not inherit). Otherwise the pool keeps it for the next
   * checkout; pg-pool gets it back when it is not used for a sweep, has outlived pg's
   * `maxLifetimeSeconds`, or the pool ends.
   */
  release(client: PoolClient, error?: unknown, discard = false): void {
    const leased = client as LeasableClient;
    if (leased[LEASED] !== true) throw new Error(CLIENT_RELEASED_TWICE(this.name));
    leased[LEASED] = false;
    const destroy =
      discard ||
      (error !== undefined && isConnectionError(error)) ||
      client.getTransactionStatus?.() !== 'I' ||
      this.pool.totalCount > this.currentLimit;
    if (destroy) this.destroyedCount++;
    // Closed as pg-pool closes them, and not counted above: worn out (`maxUses`), or a connection that failed
    // or is closing while checked out (a failure its caller swallowed, e.g. after the statement committed).
    const retire = (this.maxUses > 0 && ++leased[USES]! >= this.maxUses) || isConnectionClosing(client);
    if (destroy || retire) {
      client.release(destroy && error instanceof Error ? error : true);
    } else if (!this.takesIdleClients || this.endPromise !== undefined || leased[OWNER] !== this || hasExpired(this.pool, client)) {
      // pg-pool's own release: it closes an expired client, and one released after end or to the wrong pool goes home.
      client.release();
    } else {
      if (this.unrefIdle) leased.unref?.();
      this.kept.keep(leased);
    }
    // Kept, back in pg-pool's idle list, or closed (a free slot): either way the next caller in line gets it now.
    if (this.waiting.length > 0) this.waiting.serve();
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
    this.kept.handBackAll();
    this.destroyedCount += closeOldestIdle(this.pool, this.pool.totalCount - this.currentLimit);
  }

  stats(): PoolStats {
    return {
      name: this.name,
      role: this.role,
      server: this.server,
      total: this.pool.totalCount,
      idle: this.idleCount,
      waiting: this.waitingCount,
      limit: this.currentLimit,
      min: this.min,
      max: this.max,
      acquisitions: this.acquisitionCount,
      acquisitionP50Ms: this.acquisitionHistogram.percentileMs(50),
      acquisitionP99Ms: this.acquisitionHistogram.percentileMs(99),
      destroyedOnRelease: this.destroyedCount,
      circuit: this.breaker.state,
      ...(this.breaker.openSinceMs !== undefined && { unreachableSinceMs: this.breaker.openSinceMs }),
    };
  }

  /** Ends the pool once; later calls return the same promise. */
  end(): Promise<void> {
    if (this.endPromise) return this.endPromise;
    // pg-pool closes the clients in its idle list; kept ones would wait for a sweep.
    this.kept.handBackAll();
    this.endPromise = this.pool.end();
    // No client will come back for them: fail them now rather than at their timeout.
    this.waiting.failAll(() => new Error(POOL_CLOSED(this.name)));
    return this.endPromise;
  }

  /** What the line of callers reads and calls on this pool. */
  private lineHost(): FullPoolLineHost {
    const pool = this.pool;
    return {
      limit: () => this.currentLimit,
      totalCount: () => pool.totalCount,
      closing: () => this.endPromise !== undefined,
      breakerOpen: () => this.breaker.state === 'open',
      takeIdle: () => this.takeWarm(),
      connect: () => pool.connect(),
      connectFailed: (error, waitedMs) => this.connectFailed(error, waitedMs),
      unreachable: () => this.unreachable(),
      exhausted: (waitedMs) => new PoolExhaustedError(this.name, this.currentLimit, waitedMs),
    };
  }

  private unreachable(): DatabaseUnavailableError {
    const since = this.breaker.openSinceMs ?? Date.now();
    return new DatabaseUnavailableError(
      SERVER_UNREACHABLE(this.name, this.server, since, this.breaker.consecutiveFailures, this.breaker.nextProbeInMs),
      this.name,
    );
  }
}

