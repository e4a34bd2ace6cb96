import type { PoolClient } from 'pg';
import { isConnectionError } from '../core/errors/connection-errors';
import type { ManagedPool } from '../pool/managed-pool';
import { canPipeline, nothingInFlight, type PipelineCapableClient } from '../pool/pipeline-mode';

/** A socket that may buffer writes: pg's own is a net.Socket; a stand-in stream may lack cork. */
type CorkableStream = { cork?: () => void; uncork?: () => void } | undefined;

const streamOf = (client: PoolClient): CorkableStream => (client as Partial<PoolClient>).connection?.stream as CorkableStream;

/** One checked-out connection that reads share while it has room. */
interface SharedConnection {
  readonly pool: ManagedPool;
  readonly client: PoolClient;
  /** Reads it may carry at once: the multiplexer's limit, or 1 for a client that cannot pipeline. */
  readonly room: number;
  inFlight: number;
  corked: boolean;
  /** A connection-level failure: no new reads; closed when the last one settled. */
  failure?: unknown;
}

/**
 * Lets plain reads share connections (`multiplexReads`): a read joins the pool's open shared
 * connection while it carries fewer than `readsPerConnection`, else checks out another. The
 * connection is in pg's pipeline mode, so its reads go out without waiting for each other's
 * answers, and its socket stays corked until the end of the event-loop turn (`setImmediate`), so
 * the reads issued in one turn leave in one socket write. Each read keeps its own Sync: it is its
 * own implicit transaction, and an error fails that read only.
 *
 * Under load this trades connections and system calls for queueing behind the reads ahead on the
 * same connection (head-of-line blocking): it is for short reads. The connection goes back to the
 * pool, out of pipeline mode, as soon as it carries nothing; a connection error fails its reads in
 * flight (the executor retries them once elsewhere) and closes it.
 *
 * @example
 * const multiplexer = new ReadMultiplexer(8);
 * const { result } = await multiplexer.run(pool, (client) => statements.execute(client, sql, params));
 */
export class ReadMultiplexer {
  private readonly open = new Map<ManagedPool, SharedConnection>();
  private readonly opening = new Map<ManagedPool, Promise<SharedConnection>>();
  private corked: SharedConnection[] = [];

  /** @param readsPerConnection reads one connection carries at once; 1 or less turns sharing off. */
  constructor(readonly readsPerConnection: number) {}

  get enabled(): boolean {
    return this.readsPerConnection > 1;
  }

  /** Runs `send` (which hands one read to pg) on a shared connection of `pool`. */
  async run<R>(pool: ManagedPool, send: (client: PoolClient) => Promise<R>): Promise<R> {
    const shared = this.claim(pool) ?? (await this.claimAfterOpening(pool));
    this.cork(shared);
    try {
      return await send(shared.client);
    } catch (error) {
      if (isConnectionError(error) && shared.failure === undefined) {
        shared.failure = error;
        if (this.open.get(pool) === shared) this.open.delete(pool);
      }
      throw error;
    } finally {
      if (--shared.inFlight === 0) this.close(shared);
    }
  }

  /** Room on the pool's open shared connection, claimed; undefined when it has none. */
  private claim(pool: ManagedPool): SharedConnection | undefined {
    const open = this.open.get(pool);
    if (open === undefined || open.inFlight >= open.room || open.failure !== undefined) return undefined;
    open.inFlight++;
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
      await opening.then(
        () => undefined,
        () => undefined,
      );
      const claimed = this.claim(pool);
      if (claimed !== undefined) return claimed;
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
      const shared: SharedConnection = { pool, client, room: pipelined ? this.readsPerConnection : 1, inFlight: 1, corked: false };
      if (pipelined) this.open.set(pool, shared);
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
    const stream = streamOf(shared.client);
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
    streamOf(shared.client)?.uncork?.();
  }

  /** Carries nothing any more: back to the pool in its own mode, or closed after a connection error. */
  private close(shared: SharedConnection): void {
    if (this.open.get(shared.pool) === shared) this.open.delete(shared.pool);
    // Only a read pg refused before sending leaves the socket corked here; nothing may wait in it.
    this.uncork(shared);
    let discard = false;
    if (shared.room > 1) {
      const client = shared.client as PipelineCapableClient;
      // Every read settled, so nothing of ours is in flight; anything else would be in doubt.
      discard = !nothingInFlight(client);
      client.pipeline = false;
    }
    shared.pool.release(shared.client, shared.failure, discard);
  }
}
