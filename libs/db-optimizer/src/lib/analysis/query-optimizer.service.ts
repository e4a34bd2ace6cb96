import { Inject, Injectable } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import { MetricsService } from '../metrics/metrics.service';
import { PoolManagerService } from '../pool/pool-manager.service';
import { QueryRouter } from '../routing/query-router.service';
import { IndexAdvisor } from './advisor/index-advisor';
import type { IndexAdvice, WorkloadStatement } from './advisor/index-advice.interface';
import type { PlanAnalysis, PlanAnalysisOptions } from './plan/plan-analysis.interface';
import { PlanAnalyzer } from './plan/plan-analyzer';
import type { SlowCall, SlowQueryAnalysis, SlowQueryExplainerStats } from './slow/slow-query-analysis.interface';
import { SlowQueryExplainer } from './slow/slow-query-explainer';
import { PoolExplainRunner } from './pool-explain-runner';
import type { QueryClassification } from '../core/query-classification.interface';
import { ClassificationService } from '../classify/classification.service';
import type { ClassificationCacheStats } from '../classify/query-classifier';

/**
 * Query analysis, off the hot path: EXPLAIN with suggestions, index advice,
 * background explains of slow statements. `classify()` shows the parser's view
 * of a statement, as the facade sees it.
 * @publicApi
 */
@Injectable()
export class QueryOptimizerService {
  private readonly planAnalyzer: PlanAnalyzer;
  private readonly indexAdvisor: IndexAdvisor;
  private readonly slowQueries: SlowQueryExplainer;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly classification: ClassificationService,
    pools: PoolManagerService,
    router: QueryRouter,
    private readonly metrics: MetricsService,
  ) {
    const runner = new PoolExplainRunner(pools, router);
    this.planAnalyzer = new PlanAnalyzer(runner, classification);
    this.indexAdvisor = new IndexAdvisor(runner, classification, { installHypopg: options.installHypopg });
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
    return this.classification.classify(sql);
  }

  /** Classifier cache counters. */
  get classificationCache(): ClassificationCacheStats {
    return this.classification.cacheStats;
  }
}
