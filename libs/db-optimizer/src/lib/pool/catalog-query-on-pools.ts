import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError } from '../core/errors/connection-errors';
import type { CatalogQuery } from '../pg-catalog/catalog-query';
import type { PoolManagerService } from './pool-manager.service';

/**
 * Catalog look-ups on the primary, or on a replica while the primary cannot be reached:
 * pg_catalog is replicated, and without this fallback a primary outage would leave every
 * statement's functions and operators unknown, so every read would be taken for a write and
 * sent to the dead primary. A replica's catalog may trail the primary's by its lag, no more.
 */
export function catalogQueryOnPools(pools: PoolManagerService): CatalogQuery {
  return async (sql, params) => {
    try {
      return await pools.primary.withClient((client) => client.query(sql, params as unknown[]));
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) && !isConnectionError(error)) throw error;
      for (const replica of pools.replicas) {
        try {
          return await replica.withClient((client) => client.query(sql, params as unknown[]));
        } catch {
          // The next replica, if any; the primary's error is the one reported.
        }
      }
      throw error;
    }
  };
}
