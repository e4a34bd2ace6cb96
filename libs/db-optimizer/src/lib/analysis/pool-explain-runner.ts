import type { PoolClient } from 'pg';
import type { PoolManagerService } from '../pool/pool-manager.service';
import type { QueryRouter } from '../routing/query-router.service';
import type { ExplainRunner } from './explain-runner.interface';

/**
 * Where EXPLAIN runs: reads on a usable replica (else the primary), so
 * analysis adds no read load to the primary while a replica can take it.
 */
export class PoolExplainRunner implements ExplainRunner {
  constructor(
    private readonly pools: PoolManagerService,
    private readonly router: QueryRouter,
  ) {}

  onReplica<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T> {
    const decision = this.router.route('read_replica');
    const ranOn = decision.role === 'primary' ? 'primary' : 'replica';
    return decision.pool.withClient((client) => work(client, ranOn));
  }

  onPrimary<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T> {
    return this.pools.primary.withClient((client) => work(client, 'primary'));
  }
}
