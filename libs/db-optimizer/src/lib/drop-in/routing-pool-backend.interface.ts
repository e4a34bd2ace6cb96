import type { OptimizedQueryResult } from '../core/query-options.interface';
import type { WithColumns } from '../core/result-shape';
import type { PinnedConnection } from '../execution/pinned-connection';
import type { PoolStats } from '../pool/pool-stats';

/** What the routing pool needs from the module; the facade provides it (drop-in never imports the facade). */
export interface RoutingPoolBackend {
  /** Routes, caches and measures one statement as `executeOptimizedQuery` does; rows as the server's text, in arrays. */
  query(sql: string, params: readonly unknown[]): Promise<WithColumns<OptimizedQueryResult<unknown[]>>>;
  /** Transaction control or session state: it must run on a connection the caller keeps. */
  needsConnection(sql: string): boolean;
  /** Checks out a primary connection for such statements. */
  pin(): Promise<PinnedConnection>;
  stats(): PoolStats[];
}
