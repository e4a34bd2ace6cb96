import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import type { AfterSubmit, StatementResult, StatementRunner } from '../core/statement-runner';
import type { ResultShape } from '../core/result-shape';
import { StatementCache } from './statement-cache';
import { PoolManagerService } from '../pool/pool-manager.service';

/**
 * The module's prepared-statement cache: one LRU per connection, shared
 * counters. See `StatementCache` for the rules.
 * @publicApi
 */
@Injectable()
export class StatementCacheService implements StatementRunner {
  readonly cache: StatementCache;

  constructor(@Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions, pools: PoolManagerService) {
    this.cache = new StatementCache({
      enabled: options.enablePreparedStatements,
      prepareThreshold: options.prepareThreshold,
      perConnectionCapacity: options.preparedStatementCacheSize,
    });
    // A connection recycled (maxUsesPerConnection), timed out or broken takes its statements with it.
    for (const pool of pools.pools) pool.addRemoveListener((client) => this.cache.forgetConnection(client));
  }

  /** Statements the cache holds prepared on this client (0 once the pool has closed it). */
  preparedCount(client: PoolClient): number {
    return this.cache.preparedCount(client);
  }

  execute(client: PoolClient, sql: string, params: unknown[], shape?: ResultShape, afterSubmit?: AfterSubmit): Promise<StatementResult> {
    return this.cache.execute(client, sql, params, shape, afterSubmit);
  }

  /** The client was reset with `DISCARD ALL`: its prepared statements are gone. */
  forgetConnection(client: PoolClient): void {
    this.cache.forgetConnection(client);
  }

  stats(): ReturnType<StatementCache['stats']> {
    return this.cache.stats();
  }
}
