import { Inject, Injectable } from '@nestjs/common';
import { DB_OPTIMIZER_CATALOG_QUERY, DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from '../core/db-optimizer.constants';
import type { QueryClassification } from '../core/query-classification.interface';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { FunctionVolatilityCatalog } from '../pg-catalog/function-volatility';
import type { CatalogQuery } from '../pg-catalog/catalog-query';
import { QueryClassifier } from './query-classifier';
import { changesData, NO_FUNCTIONS, StatementSafety } from './statement-safety';

/**
 * The hot path's view of a statement: the parser's classification (cached per
 * text) and the catalog's word on the functions it calls (cached per
 * classification). Nothing here runs EXPLAIN or touches metrics.
 */
@Injectable()
export class ClassificationService {
  private readonly classifier: QueryClassifier;
  private readonly volatility: FunctionVolatilityCatalog;
  private readonly safety = new WeakMap<QueryClassification, StatementSafety | Promise<StatementSafety>>();

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions,
    @Inject(DB_OPTIMIZER_SQL_PARSER) _parserLoaded: true,
    @Inject(DB_OPTIMIZER_CATALOG_QUERY) catalogQuery: CatalogQuery,
  ) {
    this.classifier = new QueryClassifier(options.classificationCacheSize);
    this.volatility = new FunctionVolatilityCatalog(catalogQuery);
  }

  /** Parser view of a statement: type, target, tables, fingerprint. Cached per text. */
  classify(sql: string): QueryClassification {
    return this.classifier.classify(sql);
  }

  /** Function volatility of a statement, from the catalog (cached). Usually known: no promise on the hot path. */
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
        return { readSafe: false, deterministic: false, mayWrite: true, reason: `volatility unknown: ${(error as Error).message}` };
      },
    );
    this.safety.set(classification, pending);
    return pending;
  }

  /** `changesData()` with the catalog's view of the statement's functions (cached). */
  async mayChangeData(classification: QueryClassification): Promise<boolean> {
    if (classification.target === 'primary' || classification.queryType === 'WRITE') return true;
    const known = this.safetyOf(classification);
    return changesData(classification, known instanceof Promise ? await known : known);
  }

  /** Classifier cache counters. */
  get cacheStats(): { size: number; hits: number; misses: number } {
    return this.classifier.stats();
  }
}
