import { Injectable } from '@nestjs/common';
import type { CommittedWrite } from '../execution/committed-write.interface';
import type { OptimizedQueryResult, QueryOptions } from '../execution/query-options.interface';
import type { QueryClassification, RouteTarget } from '../query/query-classification.interface';

/**
 * Result cache seam of the facade. This first slice caches nothing; the
 * multi-level cache (issue "Multi-level result cache") replaces it.
 */
@Injectable()
export class ResultCacheService {
  get enabled(): boolean {
    return false;
  }

  read<T>(
    _classification: QueryClassification,
    _params: readonly unknown[],
    _target: RouteTarget,
    _options: QueryOptions,
    load: (minLsn?: bigint) => Promise<OptimizedQueryResult<T>>,
  ): Promise<OptimizedQueryResult<T>> {
    return load();
  }

  async afterCommit(_writes: readonly CommittedWrite[], _consistencyToken?: string): Promise<void> {
    return undefined;
  }
}
