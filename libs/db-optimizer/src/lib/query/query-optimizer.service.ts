import { Inject, Injectable } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../config/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from '../db-optimizer.constants';
import { PoolManagerService } from '../pool/pool-manager.service';
import { FunctionVolatilityCatalog } from './function-volatility';
import type { QueryClassification, RouteTarget } from './query-classification.interface';
import { QueryClassifier } from './query-classifier';

/** What the catalog adds to the parser's view of a statement. */
export interface StatementSafety {
  /** May run on a replica: no volatile or parallel-unsafe function (beyond the harmless ones). */
  readSafe: boolean;
  /** Same result for the same data: only immutable functions. Required for result caching. */
  deterministic: boolean;
  reason?: string;
}

const NO_FUNCTIONS: StatementSafety = { readSafe: true, deterministic: true };

/**
 * Classifies statements with the real PostgreSQL parser and decides where they
 * may run. Classifications are cached per SQL text; catalog look-ups of
 * function volatility once per function name.
 * @publicApi
 */
@Injectable()
export class QueryOptimizerService {
  private readonly classifier: QueryClassifier;
  private readonly volatility: FunctionVolatilityCatalog;
  private readonly safety = new WeakMap<QueryClassification, StatementSafety | Promise<StatementSafety>>();

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    @Inject(DB_OPTIMIZER_SQL_PARSER) _parserLoaded: true,
    pools: PoolManagerService,
  ) {
    this.classifier = new QueryClassifier(options.classificationCacheSize);
    this.volatility = new FunctionVolatilityCatalog((sql, params) =>
      pools.primary.withClient((client) => client.query(sql, params as unknown[])),
    );
  }

  /** Parser view of a statement: type, target, tables, fingerprint. Cached per text. */
  classify(sql: string): QueryClassification {
    return this.classifier.classify(sql);
  }

  /** Function volatility of a statement, from the catalog (cached). */
  safetyOf(classification: QueryClassification): StatementSafety | Promise<StatementSafety> {
    if (classification.functions.length === 0) return NO_FUNCTIONS;
    const known = this.safety.get(classification);
    if (known) return known;
    const pending = this.volatility.assess(classification.functions).then(
      (assessment) => {
        this.safety.set(classification, assessment);
        return assessment;
      },
      (error: unknown) => {
        // Not cached: the next call asks the catalog again.
        this.safety.delete(classification);
        return { readSafe: false, deterministic: false, reason: `volatility unknown: ${(error as Error).message}` };
      },
    );
    this.safety.set(classification, pending);
    return pending;
  }

  /**
   * Where a statement goes: the parser's target, narrowed to the primary when
   * routing is off, when forced, or when it calls a function that may write.
   */
  async resolveTarget(classification: QueryClassification, forcePrimary = false): Promise<RouteTarget> {
    if (forcePrimary || !this.options.enableQueryOptimization || classification.target === 'primary') return 'primary';
    const safety = await this.safetyOf(classification);
    return safety.readSafe ? classification.target : 'primary';
  }

  /** Classifier cache counters. */
  get classificationCache(): { size: number; hits: number; misses: number } {
    return this.classifier.stats();
  }
}
