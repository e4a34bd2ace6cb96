import { EventEmitter } from 'node:events';
import type { Pool, QueryArrayConfig, QueryArrayResult, QueryConfig, QueryResult, QueryResultRow, Submittable } from 'pg';
import { POOL_ENDED, POOL_ENDED_TWICE } from './drop-in.messages';
import { pgPoolView } from './pg-pool-view';
import { readQueryArgs, settle, type QueryCallback } from './query-args';
import type { RoutingPoolBackend } from './routing-pool-backend.interface';
import { RoutingPoolClient } from './routing-pool-client';

type ConnectCallback = (error: Error | undefined, client?: RoutingPoolClient, release?: (error?: Error | boolean) => void) => void;

/**
 * The part of `pg.Pool` that query builders and ORMs use, over the module's pools:
 * `query()` is routed, prepared, cached and measured as `executeOptimizedQuery` is, and
 * returns pg's result shape (`rows`, `rowCount`, `command`, `fields`; `rowMode: 'array'`
 * and custom `types` honoured). `connect()` gives a `RoutingPoolClient` for transactions.
 *
 * Events: none of its own beyond what callers attach (`on('error')` is accepted; the
 * module's pools handle connection errors themselves). Counters are summed over the
 * module's pools. `end()` ends this view only: the module's pools close with the app.
 * @publicApi
 *
 * @example
 * // Kysely
 * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dbOptimizer.pool }) });
 * // Drizzle
 * const db = drizzle({ client: dbOptimizer.pool });
 * // Prisma (driver adapter)
 * const prisma = new PrismaClient({ adapter: new PrismaPg(dbOptimizer.pool.asPgPool()) });
 */
export class RoutingPool extends EventEmitter {
  /** pg-pool's config; empty: the module's pools hold the connection settings (and no password leaks from here). */
  readonly options: Readonly<Record<string, unknown>> = Object.freeze({});
  private ended = false;
  private readonly checkedOut = new Set<RoutingPoolClient>();
  private pgView: Pool | undefined;

  constructor(private readonly backend: RoutingPoolBackend) {
    super();
  }

  get totalCount(): number {
    return this.backend.stats().reduce((sum, pool) => sum + pool.total, 0);
  }

  get idleCount(): number {
    return this.backend.stats().reduce((sum, pool) => sum + pool.idle, 0);
  }

  get waitingCount(): number {
    return this.backend.stats().reduce((sum, pool) => sum + pool.waiting, 0);
  }

  /**
   * This pool as a `pg.Pool`, for libraries whose types ask for one (Drizzle's `client`) or that
   * check `instanceof pg.Pool` (Prisma's `PrismaPg`, which otherwise takes its argument for
   * connection settings and opens a pool of its own). A view, not a copy: every call, listener
   * and counter is this pool's. It has what those libraries use (`query`, `connect`, `end`,
   * events, counters), not all of pg's client API: no cursors, `COPY` streams or `LISTEN`
   * notifications.
   * @example
   * const db = drizzle({ client: dbOptimizer.pool.asPgPool() });
   * const prisma = new PrismaClient({ adapter: new PrismaPg(dbOptimizer.pool.asPgPool()) });
   */
  asPgPool(): Pool {
    return (this.pgView ??= pgPoolView(this));
  }

  /** Whether `end()` was called on this view. */
  get ending(): boolean {
    return this.ended;
  }

  /** pg's `query(text | config, values?, callback?)`; a callback form returns undefined, as pg's does. */
  /** Typed for pg compatibility; submittables (cursors, streams) are refused with a clear error at run time. */
  query<T extends Submittable>(submittable: T): T;
  query<R extends unknown[] = unknown[]>(config: QueryArrayConfig, values?: readonly unknown[]): Promise<QueryArrayResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(config: string | QueryConfig, values?: readonly unknown[]): Promise<QueryResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(config: string | QueryConfig, callback: (error: Error, result: QueryResult<R>) => void): void;
  query<R extends QueryResultRow = QueryResultRow>(
    config: string | QueryConfig,
    values: readonly unknown[],
    callback: (error: Error, result: QueryResult<R>) => void,
  ): void;
  query(config: unknown, values?: unknown, callback?: unknown): Promise<QueryResult> | undefined {
    const args = readQueryArgs(config, values, callback);
    return settle(this.runOnce(config, args.values), args.callback);
  }

  /** pg's `pool.connect()`, promise or callback `(err, client, release)` form. */
  connect(): Promise<RoutingPoolClient>;
  connect(callback: ConnectCallback): undefined;
  connect(callback?: ConnectCallback): Promise<RoutingPoolClient> | undefined {
    const work = this.ended ? Promise.reject(new Error(POOL_ENDED())) : Promise.resolve(this.checkOut());
    if (callback === undefined) return work;
    work.then(
      (client) => callback(undefined, client, (error) => client.release(error)),
      (error: Error) => callback(error),
    );
    return undefined;
  }

  /** Ends this view: later `query()`/`connect()` are refused. Clients still out may finish. */
  end(): Promise<void>;
  end(callback: (error?: Error) => void): undefined;
  end(callback?: (error?: Error) => void): Promise<void> | undefined {
    const work = this.ended ? Promise.reject(new Error(POOL_ENDED_TWICE())) : Promise.resolve();
    this.ended = true;
    this.emit('end');
    if (callback === undefined) return work;
    work.then(() => callback(), callback as QueryCallback);
    return undefined;
  }

  /**
   * A pool-level statement: routed on its own, or, when it needs a connection of its own
   * (transaction control, session state), run on one that is released right after, as pg's
   * `pool.query` does (and closed if it kept session state).
   */
  private async runOnce(config: unknown, values: unknown[]): Promise<QueryResult> {
    if (this.ended) throw new Error(POOL_ENDED());
    const client = this.checkOut();
    try {
      return await client.query(config as QueryConfig, values);
    } finally {
      client.release();
    }
  }

  private checkOut(): RoutingPoolClient {
    const client = new RoutingPoolClient(this.backend, (released) => {
      this.checkedOut.delete(released);
      this.emit('release', undefined, released);
    });
    this.checkedOut.add(client);
    this.emit('acquire', client);
    return client;
  }
}
