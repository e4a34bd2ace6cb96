import type { PoolClient } from 'pg';
import { performance } from 'node:perf_hooks';
import { isConnectionError } from '../core/errors/connection-errors';
import type { ManagedPool } from '../pool/managed-pool';
import { afterDrain, canPipeline, nothingInFlight, type PipelineCapableClient, socketOf } from '../pool/pipeline-mode';
import { DEFAULT_SHARED_READ_MAX_MS } from '../options/shared-read-defaults.constants';
import { ReadDurations } from './read-durations';

/**
 * Reads one checkout of a shared connection takes before it stops taking more. Under steady load
 * a shared connection would otherwise never carry nothing, so it would never go back to the pool,
 * and what happens on release (`maxUsesPerConnection`, a smaller limit, the pool's end) would
 * never reach it.
 */
export const SHARED_READS_PER_CHECKOUT = 1000;

/** Longest wait, after a shared connection's last read settled, for pg's answers still due on it (ms). */
const DRAIN_WAIT_MS = 5000;

/** One checked-out connection that reads share while it has room. */
interface SharedConnection {
  readonly pool: ManagedPool;
  readonly client: PoolClient;
  /** Reads it may carry at once: the multiplexer's limit, or 1 for a client that cannot pipeline. */
  readonly room: number;
  inFlight: number;
  /** Reads it has taken; past `readsPerCheckout` it takes no more and goes back once it carries nothing. */
  served: number;
  corked: boolean;
  /** When the last read on it settled (performance.now()): a read's own time starts there or at its send, whichever is later. */
  lastAnswerAt: number;
  /** A connection-level failure: no new reads; closed when the last one settled. */
  failure?: unknown;
}

/**
 * Lets plain reads share connections (`multiplexReads`): a read joins the pool's open shared
 * connection while it carries fewer than `readsPerConnection`, else checks out another; a read
 * that finds nothing in flight to share with runs on a connection of its own, and so does one whose
 * statement has not been measured short yet (`ReadDurations`: not run on this instance, or
 * recently longer than `shortReadMs` beyond the round trip). The connection is in pg's pipeline
 * mode, so its reads go out without waiting for each other's answers, and its socket stays corked
 * until the end of the event-loop turn (`setImmediate`), so the reads issued in one turn leave in
 * one socket write. Each read keeps its own Sync: it is its own implicit transaction, and an error
 * fails that read only.
 *
 * Under load this trades connections and system calls for queueing behind the reads ahead on the
 * same connection (head-of-line blocking): it is for short reads. The connection goes back to the
 * pool, out of pipeline mode, as soon as it carries nothing; a connection error fails its reads in
 * flight (the executor retries them once elsewhere) and closes it.
 *
 * `stats()` says how much sharing happened: reads per checkout and per socket write, and the reads
 * kept apart because their statement was not measured short.
 *
 * @publicApi
 * @example
 * const multiplexer = new ReadMultiplexer(8);
 * const read = (n: number) => multiplexer.run(pool, (client) => statements.execute(client, sql, [n]));
 * await Promise.all([read(1), read(2), read(3)]);
 * multiplexer.stats(); // { sharedReads: 2, checkouts: 1, socketWrites: 1, keptApart: 0 }: the first read found nothing to share with
 */
export class ReadMultiplexer {
  private sharedReads = 0;
  private checkouts = 0;
  private socketWrites = 0;
  private keptApart = 0;
  private readonly durations: ReadDurations;
  private readonly open = new Map<ManagedPool, SharedConnection>();
  private readonly opening = new Map<ManagedPool, Promise<SharedConnection>>();
  /** Pools whose clients cannot pipeline (pg's `query_timeout`, an older pg): each read checks out its own. */
  private readonly unshareable = new WeakSet<ManagedPool>();
  /** Per pool, its fastest measured read from send to answer: the round trip every read pays, shared or not. */
  private readonly fastestTrip = new WeakMap<ManagedPool, number>();
  private corked: SharedConnection[] = [];

  /**
   * @param readsPerConnection reads one connection carries at once; 1 or less turns sharing off.
   * @param readsPerCheckout reads one checkout takes before it goes back to the pool.
   * @param shortReadMs a statement shares only once measured at or under this beyond the round trip (ms).
   */
  constructor(
    readonly readsPerConnection: number,
    private readonly readsPerCheckout = SHARED_READS_PER_CHECKOUT,
    shortReadMs = DEFAULT_SHARED_READ_MAX_MS,
  ) {
    this.durations = new ReadDurations(shortReadMs);
  }

  get enabled(): boolean {
    return this.readsPerConnection > 1;
  }

  /**
   * Since start: reads that ran on shared connections, the checkouts they used, the corked
   * batches they left in (one socket write each, unless a batch outgrew the socket's buffer), and
   * the reads run on a connection of their own because their statement was not measured short.
   */
  stats(): { sharedReads: number; checkouts: number; socketWrites: number; keptApart: number } {
    return { sharedReads: this.sharedReads, checkouts: this.checkouts, socketWrites: this.socketWrites, keptApart: this.keptApart };
  }

  /**
   * Whether a read of `statement` would run on a connection of its own, unmeasured, so the caller
   * may run it as an unshared read itself (the executor does: a lone caller's read then costs what
   * it cost before sharing). True for a pool whose clients cannot pipeline, and for the pool's only
   * read: a statement measured short, with no shared connection open or being checked out and no
   * connection of the pool checked out. Written at once rather than at the end of the loop turn,
   * with no pipeline mode to enter and leave; with one caller, sharing would only add that work.
   * A read that comes while it runs sees its connection checked out, and shares.
   */
  ownsConnection(pool: ManagedPool, statement: string | undefined): boolean {
    if (this.unshareable.has(pool)) return true;
    return (statement === undefined || this.durations.isShort(statement)) && !this.open.has(pool) && !this.opening.has(pool) && pool.busyCount === 0;
  }

  /**
   * Runs `send` (which hands one read to pg) on a shared connection of `pool`; or on a connection
   * of its own when `ownsConnection`, or when `statement` (its text) has not been measured short.
   * Without `statement` the caller vouches the read is short.
   */
  run<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, statement?: string): Promise<R> {
    if (this.ownsConnection(pool, statement)) return this.runAlone(pool, send);
    if (statement !== undefined && !this.durations.isShort(statement)) {
      this.keptApart++;
      return this.runAlone(pool, send, statement);
    }
    return this.runShared(pool, send, statement);
  }

  private async runShared<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, statement: string | undefined): Promise<R> {
    const shared = this.claim(pool) ?? (await this.claimAfterOpening(pool));
    if (shared.room > 1) this.sharedReads++;
    const sentAt = statement === undefined ? 0 : performance.now();
    try {
      this.cork(shared);
      return await send(shared.client);
    } catch (error) {
      if (isConnectionError(error) && shared.failure === undefined) {
        shared.failure = error;
        if (this.open.get(pool) === shared) this.open.delete(pool);
      }
      throw error;
    } finally {
      if (statement !== undefined) this.noteShared(shared, statement, sentAt);
      if (--shared.inFlight === 0) this.close(shared);
    }
  }

  /**
   * A read's own time on a shared connection: from its send, or from the answer before it when that
   * came later (the server runs a connection's reads one after another), to its answer.
   */
  private noteShared(shared: SharedConnection, statement: string, sentAt: number): void {
    const answeredAt = performance.now();
    const fromSend = sentAt >= shared.lastAnswerAt;
    this.noteRun(shared.pool, statement, answeredAt - (fromSend ? sentAt : shared.lastAnswerAt), fromSend);
    shared.lastAnswerAt = answeredAt;
  }

  /**
   * Notes one run's time. A time from the read's own send holds a round trip, which the reads
   * behind it would not wait for: the pool's fastest such time is taken off, so a replica far away
   * (a round trip of 20 ms or more) still shares its lookups. A time from the answer before it holds
   * none. The first time measured on a pool is taken whole.
   */
  private noteRun(pool: ManagedPool, statement: string, ms: number, fromSend: boolean): void {
    if (!fromSend) return this.durations.note(statement, ms);
    const fastest = this.fastestTrip.get(pool);
    this.durations.note(statement, fastest === undefined ? ms : Math.max(0, ms - fastest));
    if (fastest === undefined || ms < fastest) this.fastestTrip.set(pool, ms);
  }

  /**
   * A read on a connection of its own, as the executor would run it unshared. `measured`: its
   * statement, timed from checkout to answer for `ReadDurations`.
   */
  private async runAlone<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, measured?: string): Promise<R> {
    const client = pool.acquireIdle() ?? (await pool.acquire());
    const sentAt = measured === undefined ? 0 : performance.now();
    let failure: unknown;
    try {
      return await send(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      if (measured !== undefined) this.noteRun(pool, measured, performance.now() - sentAt, true);
      pool.release(client, failure);
    }
  }

  /** Room on the pool's open shared connection, claimed; undefined when it has none. */
  private claim(pool: ManagedPool): SharedConnection | undefined {
    const open = this.open.get(pool);
    if (open === undefined || open.inFlight >= open.room || open.failure !== undefined) return undefined;
    // A pool that is ending, or a connection that served its share: it drains and goes back.
    if (pool.ended || open.served >= this.readsPerCheckout) {
      this.open.delete(pool);
      return undefined;
    }
    open.inFlight++;
    open.served++;
    return open;
  }

  /**
   * Waits for the connection being checked out for `pool` and shares it when it has room; when it
   * filled up meanwhile, the next one being checked out; else checks out one.
   */
  private async claimAfterOpening(pool: ManagedPool): Promise<SharedConnection> {
    for (;;) {
      const opening = this.opening.get(pool);
      if (opening === undefined) return this.openClaimed(pool);
      // A checkout that failed (pool exhausted, server unreachable) fails its waiters with it, at
      // once: one after another, each would wait for its own checkout to fail the same way.
      await opening;
      const claimed = this.claim(pool);
      if (claimed !== undefined) return claimed;
      if (this.unshareable.has(pool)) return this.openClaimed(pool);
    }
  }

  /**
   * Checks out a connection, claimed for its opener before anyone else can see it, and makes it
   * the pool's open one. A failed checkout (pool exhausted, server unreachable) fails this read as
   * it would fail an unshared one.
   */
  private openClaimed(pool: ManagedPool): Promise<SharedConnection> {
    const checkout = pool.acquire().then((client) => {
      const pipelined = canPipeline(client);
      if (pipelined) client.pipeline = true;
      const shared: SharedConnection = {
        pool,
        client,
        room: pipelined ? this.readsPerConnection : 1,
        inFlight: 1,
        served: 1,
        corked: false,
        lastAnswerAt: 0,
      };
      if (pipelined) {
        this.checkouts++;
        this.open.set(pool, shared);
      } else this.unshareable.add(pool);
      return shared;
    });
    this.opening.set(pool, checkout);
    const forget = (): void => {
      if (this.opening.get(pool) === checkout) this.opening.delete(pool);
    };
    checkout.then(forget, forget);
    return checkout;
  }

  /** Holds the connection's writes until the end of this loop turn, so this turn's reads leave together. */
  private cork(shared: SharedConnection): void {
    if (shared.corked || shared.room === 1) return;
    const stream = socketOf(shared.client);
    if (stream?.cork === undefined || stream.uncork === undefined) return;
    stream.cork();
    shared.corked = true;
    if (this.corked.push(shared) === 1) setImmediate(this.uncorkAll);
  }

  private readonly uncorkAll = (): void => {
    const corked = this.corked;
    this.corked = [];
    for (const shared of corked) this.uncork(shared);
  };

  private uncork(shared: SharedConnection): void {
    if (!shared.corked) return;
    shared.corked = false;
    this.socketWrites++;
    socketOf(shared.client)?.uncork?.();
  }

  /** Carries nothing any more: back to the pool in its own mode, or closed after a connection error. */
  private close(shared: SharedConnection): void {
    if (this.open.get(shared.pool) === shared) this.open.delete(shared.pool);
    // Only a read pg refused before sending it leaves the socket corked here; nothing may wait in it.
    this.uncork(shared);
    if (shared.room === 1) return shared.pool.release(shared.client, shared.failure);
    const client = shared.client as PipelineCapableClient;
    if (shared.failure !== undefined || nothingInFlight(client)) return this.giveBack(shared, true);
    // Every read settled, yet pg still waits for answers: a read whose parameters pg could not
    // encode fails at once, and its Close and Sync are answered later. Back once they are.
    afterDrain(client, DRAIN_WAIT_MS, (drained) => this.giveBack(shared, drained));
  }

  /** Out of pipeline mode and back to the pool; closed when something may still be in flight on it. */
  private giveBack(shared: SharedConnection, drained: boolean): void {
    (shared.client as PipelineCapableClient).pipeline = false;
    shared.pool.release(shared.client, shared.failure, !drained);
  }
}
