import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import type { StatementResult, StatementRunner } from '../core/statement-runner';
import type { ResultShape } from '../core/result-shape';
import { StatementCache } from './statement-cache';

/**
 * The module's prepared-statement cache: one LRU per connection, shared
 * counters. See `StatementCache` for the rules.
 * @publicApi
 */
@Injectable()
export class StatementCacheService implements StatementRunner {
  readonly cache: StatementCache;

  constructor(@Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions) {
    this.cache = new StatementCache({
      enabled: options.enablePreparedStatements,
      prepareThreshold: options.prepareThreshold,
      perConnectionCapacity: options.preparedStatementCacheSize,
    });
  }

  execute(client: PoolClient, sql: string, params: unknown[], shape?: ResultShape): Promise<StatementResult> {
    return this.cache.execute(client, sql, params, shape);
  }

  stats(): ReturnType<StatementCache['stats']> {
    return this.cache.stats();
  }
}
