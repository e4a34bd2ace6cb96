import { EventEmitter } from 'node:events';
import { escapeIdentifier, escapeLiteral, type QueryArrayConfig, type QueryArrayResult, type QueryConfig, type QueryResult, type QueryResultRow, type Submittable } from 'pg';
import type { PinnedConnection } from '../execution/pinned-connection';
import { RAW_ROWS } from '../core/result-shape';
import { CLIENT_RELEASED_TWICE, CLIENT_USED_AFTER_RELEASE } from './drop-in.messages';
import { readQueryArgs, settle, type PoolQuery } from './query-args';
import { toPgResult } from './pg-result';
import type { RoutingPoolBackend } from './routing-pool-backend.interface';

/**
 * What `RoutingPool.connect()` hands out: a `pg.PoolClient` look-alike. Outside a
 * transaction each statement is routed on its own (reads to replicas, cached); from `BEGIN`
 * to `COMMIT`/`ROLLBACK` (or after session state such as `SET`) it runs on one primary
 * connection, which the client keeps until the transaction ends (or, with session state,
 * until release, when that connection is closed rather than reused).
 * Statements run in the order they were sent, as on a pg client.
 * @publicApi
 */
export class RoutingPoolClient extends EventEmitter {
  private pinned: PinnedConnection | undefined;
  private released = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backend: RoutingPoolBackend,
    private readonly onRelease: (client: RoutingPoolClient) => void,
  ) {
    super();
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
    const run = this.queue.then(() => this.run(args));
    // The queue only orders statements; a failure belongs to its caller alone.
    this.queue = run.catch(() => undefined);
    return settle(run, args.callback);
  }

  /** Gives the client back. An open transaction is rolled back by closing its connection. */
  release(error?: Error | boolean): void {
    if (this.released) throw new Error(CLIENT_RELEASED_TWICE());
    this.released = true;
    this.pinned?.release(error === true ? new Error('released with an error') : error || undefined);
    this.pinned = undefined;
    this.onRelease(this);
  }

  escapeIdentifier(value: string): string {
    return escapeIdentifier(value);
  }

  escapeLiteral(value: string): string {
    return escapeLiteral(value);
  }

  private async run(args: PoolQuery): Promise<QueryResult> {
    if (this.released) throw new Error(CLIENT_USED_AFTER_RELEASE());
    if (this.pinned === undefined && !this.backend.needsConnection(args.text)) {
      const { rows, metadata, columns } = await this.backend.query(args.text, args.values);
      return toPgResult(rows, columns ?? { command: '', fields: [] }, metadata.rowCount, args);
    }
    const pinned = (this.pinned ??= await this.backend.pin());
    try {
      const result = await pinned.query(args.text, args.values, RAW_ROWS);
      return toPgResult(result.rows as unknown[][], result, result.rowCount ?? result.rows.length, args);
    } finally {
      // Back to routing each statement once nothing ties this caller to the connection.
      if (!pinned.holding) {
        pinned.release();
        this.pinned = undefined;
      }
    }
  }
}
