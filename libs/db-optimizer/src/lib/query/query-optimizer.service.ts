import { Inject, Injectable } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../config/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from '../db-optimizer.constants';
import { MetricsService } from '../metrics/metrics.service';
import { PoolManagerService } from '../pool/pool-manager.service';
import { QueryRouter } from '../routing/query-router.service';
import { IndexAdvisor } from './analysis/advisor/index-advisor';
import type { IndexAdvice, WorkloadStatement } from './analysis/advisor/index-advice.interface';
import type { PlanAnalysis, PlanAnalysisOptions } from './analysis/plan/plan-analysis.interface';
import { PlanAnalyzer } from './analysis/plan/plan-analyzer';
import type { SlowCall, SlowQueryAnalysis, SlowQueryExplainerStats } from './analysis/slow/slow-query-analysis.interface';
import { SlowQueryExplainer } from './analysis/slow/slow-query-explainer';
import { PoolExplainRunner } from './pool-explain-runner';
import { FunctionVolatilityCatalog } from './function-volatility';
import type { QueryClassification, RouteTarget } from './query-classification.interface';
import { QueryClassifier } from './query-classifier';

/** What the catalog adds to the parser's view of a statement. */
export interface StatementSafety {
  /** May run on a replica: no volatile or parallel-unsafe function (beyond the harmless ones). */
  readSafe: boolean;
  /** Same result for the same data: only immutable functions. Required for result caching. */
  deterministic: boolean;
  /** Calls a VOLATILE (or unknown) function, which may change data: treat the statement as a write. */
  mayWrite: boolean;
  reason?: string;
}

/**
 * Whether a statement changes data: the parser says it writes (DML, DDL, data-modifying
 * CTE, write function...), or it calls a VOLATILE or unknown function. Such a statement
 * gets a consistency token, invalidates the cache at commit, and runs alone in batches.
 */
export function changesData(classification: QueryClassification, safety: StatementSafety): boolean {
  return classification.target === 'primary' || classification.queryType === 'WRITE' || safety.mayWrite;
}

const NO_FUNCTIONS: StatementSafety = { readSafe: true, deterministic: true, mayWrite: false };

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
  private readonly planAnalyzer: PlanAnalyzer;
  private readonly indexAdvisor: IndexAdvisor;
  private readonly slowQueries: SlowQueryExplainer;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    @Inject(DB_OPTIMIZER_SQL_PARSER) _parserLoaded: true,
    pools: PoolManagerService,
    router: QueryRouter,
    private readonly metrics: MetricsService,
  ) {
    this.classifier = new QueryClassifier(options.classificationCacheSize);
    this.volatility = new FunctionVolatilityCatalog((sql, params) =>
      pools.primary.withClient((client) => client.query(sql, params as unknown[])),
    );
    const runner = new PoolExplainRunner(pools, router);
    this.planAnalyzer = new PlanAnalyzer(runner, this);
    this.indexAdvisor = new IndexAdvisor(runner, this, { installHypopg: options.installHypopg });
    this.slowQueries = new SlowQueryExplainer(this.planAnalyzer, {
      // Without a replica, EXPLAIN ANALYZE would run slow reads a second time on the primary: plan only.
      analyzeReads: pools.replicas.length > 0,
      onAnalysis: (analysis) => metrics.recordSuggestions(analysis.suggestions?.length ?? 0),
    });
  }

  /**
   * EXPLAIN (ANALYZE, BUFFERS) with a summary and concrete suggestions. Reads
   * run on a replica; anything else runs in a transaction that is always
   * rolled back (sequences still advance: the result says so).
   * @example
   * const { summary, suggestions } = await optimizer.analyzeExecutionPlan('SELECT * FROM orders WHERE customer_id = $1', [42]);
   */
  async analyzeExecutionPlan(sql: string, params: readonly unknown[] = [], options: PlanAnalysisOptions = {}): Promise<PlanAnalysis> {
    const analysis = await this.planAnalyzer.analyzeExecutionPlan(sql, params, options);
    this.metrics.recordSuggestions(analysis.suggestions.length);
    return analysis;
  }

  /**
   * Index advice for the given statements, or by default for the costliest
   * fingerprints seen so far (normalized text, planned generically). Verified
   * with HypoPG when the extension is there, else a pg_stats heuristic.
   */
  async recommendIndexes(statements?: readonly WorkloadStatement[]): Promise<IndexAdvice> {
    const workload =
      statements ??
      this.metrics
        .getFingerprintStats({ orderBy: 'totalTime', limit: 20 })
        .filter((stats) => stats.fingerprint !== '')
        .map((stats) => ({ sql: stats.normalizedSql, calls: stats.calls, totalTimeMs: stats.totalMs }));
    const advice = await this.indexAdvisor.recommendIndexes(workload);
    this.metrics.recordSuggestions(advice.recommendations.length);
    return advice;
  }

  /** A call over `slowQueryThresholdMs`: explained in the background, sampled and rate-limited. */
  offerSlowQuery(call: SlowCall): void {
    if (this.options.autoExplainSlowQueries) this.slowQueries.offer(call);
  }

  /** The latest automatic analysis of each slow fingerprint. */
  slowQueryAnalyses(): Array<Readonly<SlowQueryAnalysis>> {
    return this.slowQueries.storedAnalyses();
  }

  slowQueryExplainerStats(): SlowQueryExplainerStats {
    return this.slowQueries.stats();
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
  get classificationCache(): { size: number; hits: number; misses: number } {
    return this.classifier.stats();
  }
}
