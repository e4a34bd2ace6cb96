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

/**
 * Longest time taken as a pool's round trip (ms): a slower run is a slow statement, not a network.
 * Without it, a pool whose first measured reads are reports would take a report's time as its round
 * trip, and judge the next report by what it took beyond that: short.
 */
export const MAX_ROUND_TRIP_MS = 100;

/** A read `ReadMultiplexer.beginLone` started on a connection of its own: `end()` once it settled. */
export interface LoneRead {
  end(): void;
}

/**
 * What the multiplexer knows of one pool, in one object per pool: a read's decision then costs one
 * lookup, and counting its lone reads allocates nothing.
 */
class PoolSharing implements LoneRead {
  /** The shared connection reads join while it has room. */
  open: SharedConnection | undefined;
  /** The checkout under way for the next shared connection. */
  opening: Promise<SharedConnection> | undefined;
  /** Its clients cannot pipeline (pg's `query_timeout`, an older pg): each read checks out its own. */
  unshareable = false;
  /** Reads running alone (`beginLone`). */
  loneReads = 0;
  /** Its fastest measured read from send to answer: the round trip every read pays, shared or not. */
  fastestTrip: number | undefined;

  /** A lone read settled. */
  end(): void {
    this.loneReads--;
  }
}

/** One checked-out connection that reads share while it has room. */
interface SharedConnection {
  readonly pool: ManagedPool;
  readonly sharing: PoolSharing;
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
  private readonly pools = new WeakMap<ManagedPool, PoolSharing>();
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
   * Starts a read of `statement` on a connection of its own, unmeasured, when that is where it
   * belongs; the caller then runs it as an unshared read itself (the executor does: a lone caller's
   * read costs what it cost before sharing) and calls `end()` on the answer once it settled. For a
   * pool whose clients cannot pipeline, and for the pool's only read: a statement measured short,
   * with no shared connection open or being checked out and no other read running alone; else
   * undefined. Written at once rather than at the end of the loop turn, with no pipeline mode to
   * enter and leave; with one caller, sharing would only add that work. A read that comes while it
   * runs shares.
   *
   * Reads are counted, not connections: a connection held elsewhere (a transaction, a listener, a
   * report kept apart) says nothing about reads to share with; counting those made a lone caller's
   * every read go through a shared connection while one was held (2.5x its CPU, measured).
   */
  beginLone(pool: ManagedPool, statement: string | undefined): LoneRead | undefined {
    const sharing = this.sharingOf(pool);
    if (!sharing.unshareable) {
      if (sharing.loneReads > 0 || sharing.open !== undefined || sharing.opening !== undefined) return undefined;
      if (statement !== undefined && !this.durations.isShort(statement)) return undefined;
    }
    sharing.loneReads++;
    return sharing;
  }

  private sharingOf(pool: ManagedPool): PoolSharing {
    let sharing = this.pools.get(pool);
    if (sharing === undefined) {
      sharing = new PoolSharing();
      this.pools.set(pool, sharing);
    }
    return sharing;
  }

  /**
   * Runs `send` (which hands one read to pg) on a shared connection of `pool`; or on a connection
   * of its own when `beginLone` says so, or when `statement` (its text) has not been measured short.
   * Without `statement` the caller vouches the read is short.
   */
  run<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, statement?: string): Promise<R> {
    const lone = this.beginLone(pool, statement);
    return lone !== undefined ? this.runLone(pool, send, lone) : this.share(pool, send, statement);
  }

  /**
   * `run` for a read `beginLone` already turned down (the executor's): on a shared connection, or on
   * one of its own when `statement` has not been measured short.
   */
  share<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, statement?: string): Promise<R> {
    if (statement !== undefined && !this.durations.isShort(statement)) {
      this.keptApart++;
      return this.runAlone(pool, send, statement);
    }
    return this.runShared(pool, send, statement);
  }

  private async runLone<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>, lone: LoneRead): Promise<R> {
    try {
      return await this.runAlone(pool, send);
    } finally {
      lone.end();
    }
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
        if (shared.sharing.open === shared) shared.sharing.open = undefined;
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
    this.noteRun(shared.sharing, statement, answeredAt - (fromSend ? sentAt : shared.lastAnswerAt), fromSend);
    shared.lastAnswerAt = answeredAt;
  }

  /**
   * Notes one run's time. A time from the read's own send holds a round trip, which the reads
   * behind it would not wait for: the pool's fastest such time, up to `MAX_ROUND_TRIP_MS`, is taken
   * off, so a replica far away (a round trip of 20 ms or more) still shares its lookups. A time from
   * the answer before it holds none. Until the pool has a time under that bound, times are taken whole.
   */
  private noteRun(sharing: PoolSharing, statement: string, ms: number, fromSend: boolean): void {
    if (!fromSend) return this.durations.note(statement, ms);
    const fastest = sharing.fastestTrip;
    this.durations.note(statement, fastest === undefined ? ms : Math.max(0, ms - fastest));
    if (ms <= MAX_ROUND_TRIP_MS && (fastest === undefined || ms < fastest)) sharing.fastestTrip = ms;
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
      if (measured !== undefined) this.noteRun(this.sharingOf(pool), measured, performance.now() - sentAt, true);
      pool.release(client, failure);
    }
  }

  /** Room on the pool's open shared connection, claimed; undefined when it has none. */
  private claim(pool: ManagedPool): SharedConnection | undefined {
    const sharing = this.sharingOf(pool);
    const open = sharing.open;
    if (open === undefined || open.inFlight >= open.room || open.failure !== undefined) return undefined;
    // A pool that is ending, or a connection that served its share: it drains and goes back.
    if (pool.ended || open.served >= this.readsPerCheckout) {
      sharing.open = undefined;
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
    const sharing = this.sharingOf(pool);
    for (;;) {
      const opening = sharing.opening;
      if (opening === undefined) return this.openClaimed(pool);
      // A checkout that failed (pool exhausted, server unreachable) fails its waiters with it, at
      // once: one after another, each would wait for its own checkout to fail the same way.
      await opening;
      const claimed = this.claim(pool);
      if (claimed !== undefined) return claimed;
      if (sharing.unshareable) return this.openClaimed(pool);
    }
  }

  /**
   * Checks out a connection, claimed for its opener before anyone else can see it, and makes it
   * the pool's open one. A failed checkout (pool exhausted, server unreachable) fails this read as
   * it would fail an unshared one.
   */
  private openClaimed(pool: ManagedPool): Promise<SharedConnection> {
    const sharing = this.sharingOf(pool);
    const checkout = pool.acquire().then((client) => {
      const pipelined = canPipeline(client);
      if (pipelined) client.pipeline = true;
      const shared: SharedConnection = {
        pool,
        sharing,
        client,
        room: pipelined ? this.readsPerConnection : 1,
        inFlight: 1,
        served: 1,
        corked: false,
        lastAnswerAt: 0,
      };
      if (pipelined) {
        this.checkouts++;
        sharing.open = shared;
      } else sharing.unshareable = true;
      return shared;
    });
    sharing.opening = checkout;
    const forget = (): void => {
      if (sharing.opening === checkout) sharing.opening = undefined;
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
    if (shared.sharing.open === shared) shared.sharing.open = undefined;
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
