import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DatabaseError } from 'pg';
import type { PlanAnalyzer } from '../plan/plan-analyzer';
import type { PlanAnalysis } from '../plan/plan-analysis.interface';
import { Clock, SYSTEM_CLOCK } from '../../core/clock';
import type { SlowCall, SlowQueryAnalysis, SlowQueryExplainerStats } from './slow-query-analysis.interface';
import { SlowQueryCounters } from './slow-query-counters';

/** Options of {@link SlowQueryExplainer}. */
export interface SlowQueryExplainerOptions {
  /** A fingerprint is explained at most once per this many ms. @default 600000 (10 min) */
  fingerprintIntervalMs?: number;
  /** At most one explain starts per this many ms, over all fingerprints. @default 5000 */
  minIntervalMs?: number;
  /** Last analyses kept, one per fingerprint, least recently explained dropped first. @default 100 */
  maxStoredAnalyses?: number;
  /** Fingerprints whose last attempt is remembered for sampling. @default 10000 */
  maxTrackedFingerprints?: number;
  /** statement_timeout of each explain, ms. @default 5000 */
  timeoutMs?: number;
  /**
   * EXPLAIN ANALYZE reads on a replica; false plans them only. Writes, and reads that would
   * land on the primary (no usable replica), are never run. @default true
   */
  analyzeReads?: boolean;
  clock?: Clock;
  /** Told about each stored analysis (logging, metrics). Its errors are logged. */
  onAnalysis?: (analysis: Readonly<SlowQueryAnalysis>) => void;
}

/** What the explainer needs of a PlanAnalyzer. */
export type SlowQueryAnalyzer = Pick<PlanAnalyzer, 'analyzeExecutionPlan' | 'classify'>;

/**
 * Explains slow queries automatically, gently: each fingerprint at most once
 * per 10 minutes, at most one explain every 5 s and one at a time; calls that
 * do not fit are dropped, not queued (the next slow call of the fingerprint
 * tries again). Reads are EXPLAIN ANALYZEd through the runner's replica side;
 * writes (as the facade ran them: `isWrite`) are only planned (`analyze: false`),
 * and nothing ever runs on the primary: a read with no usable replica is planned only. Keeps the last
 * analysis per fingerprint, without raw plans or parameters.
 *
 * @example
 * const explainer = new SlowQueryExplainer(analyzer, { minIntervalMs: 10_000 });
 * explainer.offer({ fingerprint, sql, params, durationMs: 850, pool: 'read_replica' });
 * // later
 * explainer.analysisOf(fingerprint)?.suggestions;
 * @publicApi
 */
export class SlowQueryExplainer {
  private readonly logger = new Logger(SlowQueryExplainer.name);
  private readonly options: Required<Omit<SlowQueryExplainerOptions, 'onAnalysis'>> & Pick<SlowQueryExplainerOptions, 'onAnalysis'>;
  private readonly lastAttempt: LRUCache<string, number>;
  private readonly analyses: LRUCache<string, SlowQueryAnalysis>;
  private readonly counters = new SlowQueryCounters();
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly analyzer: SlowQueryAnalyzer,
    options: SlowQueryExplainerOptions = {},
  ) {
    this.options = {
      fingerprintIntervalMs: 600_000,
      minIntervalMs: 5000,
      maxStoredAnalyses: 100,
      maxTrackedFingerprints: 10_000,
      timeoutMs: 5000,
      analyzeReads: true,
      clock: SYSTEM_CLOCK,
      ...options,
    };
    this.lastAttempt = new LRUCache({ max: this.options.maxTrackedFingerprints });
    this.analyses = new LRUCache({ max: this.options.maxStoredAnalyses });
  }

  /**
   * Offers one slow call. Decides synchronously and cheaply (it runs on the
   * query's path); the explain itself runs in the background.
   * @returns true when an explain started for this call.
   */
  offer(call: SlowCall): boolean {
    this.counters.offered++;
    const now = this.options.clock.now();
    const last = call.fingerprint ? this.lastAttempt.get(call.fingerprint) : undefined;
    if (last !== undefined && now - last < this.options.fingerprintIntervalMs) return this.skip('skippedRecentlyExplained');
    if (this.inFlight) return this.skip('skippedBusy');
    if (now - this.lastStartedAt < this.options.minIntervalMs) return this.skip('skippedRateLimited');
    const classification = call.fingerprint ? this.classify(call.sql) : undefined;
    if (!classification || classification.parseError !== undefined || classification.statementCount !== 1) {
      return this.skip('skippedUnexplainable');
    }
    this.lastAttempt.set(call.fingerprint, now);
    this.lastStartedAt = now;
    this.counters.started++;
    const analyze = this.options.analyzeReads && call.isWrite !== true && classification.target !== 'primary';
    this.inFlight = this.explain(call, analyze, classification.normalizedSql).finally(() => {
      this.inFlight = undefined;
    });
    return true;
  }

  /** The last analysis of a fingerprint, if any is still stored. */
  analysisOf(fingerprint: string): Readonly<SlowQueryAnalysis> | undefined {
    return this.analyses.peek(fingerprint);
  }

  /** Stored analyses, most recently explained first. */
  storedAnalyses(): Array<Readonly<SlowQueryAnalysis>> {
    return [...this.analyses.values()];
  }

  stats(): SlowQueryExplainerStats {
    return this.counters.snapshot(this.analyses.size);
  }

  /** Resolves once no explain is running (tests, shutdown). */
  async whenIdle(): Promise<void> {
    await this.inFlight;
  }

  private async explain(call: SlowCall, analyze: boolean, normalizedSql: string): Promise<void> {
    const base = { fingerprint: call.fingerprint, normalizedSql, triggerDurationMs: call.durationMs, pool: call.pool, analyzed: analyze };
    let stored: SlowQueryAnalysis;
    try {
      // analyzeOnPrimary: false: a slow call is never run a second time on the primary.
      const options = { analyze, timeoutMs: this.options.timeoutMs, analyzeOnPrimary: false };
      const analysis = await this.analyzer.analyzeExecutionPlan(call.sql, call.params ?? [], options);
      const analyzed = analysis.summary.analyzed;
      stored = { ...base, ...withoutPlan(analysis), analyzed, status: 'explained', explainedAt: this.isoNow() };
      this.counters.explained++;
      this.counters.countSuggestions(analysis.suggestions);
    } catch (error) {
      stored = { ...base, status: 'failed', explainedAt: this.isoNow(), suggestions: [], warnings: [], error: failureReason(error) };
      this.counters.failed++;
      this.logger.warn(`Could not explain slow query ${call.fingerprint} ("${normalizedSql}"): ${stored.error}`);
    }
    this.analyses.set(call.fingerprint, Object.freeze(stored));
    this.notify(stored);
  }

  /** Never throws on the query's path: a classifier failure only skips the call. */
  private classify(sql: string): ReturnType<SlowQueryAnalyzer['classify']> | undefined {
    try {
      return this.analyzer.classify(sql);
    } catch {
      return undefined;
    }
  }

  private notify(analysis: SlowQueryAnalysis): void {
    try {
      this.options.onAnalysis?.(analysis);
    } catch (error) {
      this.logger.warn(`onAnalysis listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private skip(reason: 'skippedRecentlyExplained' | 'skippedBusy' | 'skippedRateLimited' | 'skippedUnexplainable'): false {
    this.counters[reason]++;
    return false;
  }

  private isoNow(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}

type StoredParts = Pick<SlowQueryAnalysis, 'normalizedSql' | 'ranOn' | 'summary' | 'nodes' | 'suggestions' | 'warnings'>;

function withoutPlan(analysis: PlanAnalysis): StoredParts {
  const { normalizedSql, ranOn, summary, nodes, suggestions, warnings } = analysis;
  return { normalizedSql, ranOn, summary, nodes, suggestions, warnings };
}

/** A server's message may quote a value (`invalid input syntax for type integer: "abc"`): keep its SQLSTATE only. */
function failureReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof DatabaseError ? error.cause : error;
  if (!(cause instanceof DatabaseError)) return error instanceof Error ? error.name : 'unknown error';
  return `SQLSTATE ${cause.code ?? 'unknown'}${cause.code === '57014' ? ' (statement timeout or cancel)' : ''}`;
}
