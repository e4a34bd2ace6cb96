import type { PoolRole } from '../../core/pool-role';
import type { PlanNodeSummary, PlanSummary } from '../plan/plan-node-summary.interface';
import type { Suggestion } from '../rules/suggestion.interface';

/**
 * One slow call, as the executor reports it. `sql` is the text that ran
 * (constants as `$n` when the caller used parameters), `params` its values:
 * both are used to explain and never stored.
 * @publicApi
 */
export interface SlowCall {
  fingerprint: string;
  sql: string;
  params?: readonly unknown[];
  durationMs: number;
  pool: PoolRole;
  /**
   * The facade ran it as a write (the parser's verdict, a VOLATILE function, or a replica's 25006):
   * it is only planned, never run again.
   */
  isWrite?: boolean;
}

/**
 * The stored result of explaining one slow fingerprint: summaries and
 * suggestions only, no raw plan and no parameter (plans spell values out).
 * @publicApi
 */
export interface SlowQueryAnalysis {
  fingerprint: string;
  normalizedSql: string;
  /** ISO time the explain finished. */
  explainedAt: string;
  /** Duration of the call that triggered it, ms. */
  triggerDurationMs: number;
  /** Pool the slow call ran on. */
  pool: PoolRole;
  status: 'explained' | 'failed';
  /** True when the statement ran (EXPLAIN ANALYZE): reads only, on a replica only, never writes. */
  analyzed: boolean;
  ranOn?: 'replica' | 'primary';
  summary?: PlanSummary;
  nodes?: PlanNodeSummary[];
  suggestions: Suggestion[];
  warnings: string[];
  /** Why it failed, without the server's message (which may quote values): the SQLSTATE. */
  error?: string;
}

/**
 * Counters of a SlowQueryExplainer.
 * @publicApi
 */
export interface SlowQueryExplainerStats {
  /** Slow calls offered. */
  offered: number;
  /** Explains started. */
  started: number;
  explained: number;
  failed: number;
  /** Skipped: this fingerprint was explained within `fingerprintIntervalMs`. */
  skippedRecentlyExplained: number;
  /** Skipped: another explain was still running. */
  skippedBusy: number;
  /** Skipped: an explain started less than `minIntervalMs` ago. */
  skippedRateLimited: number;
  /** Skipped: no fingerprint, unparseable or several statements. */
  skippedUnexplainable: number;
  /** Suggestions made over all explains, and by rule. */
  suggestionsMade: number;
  suggestionsByRule: Record<string, number>;
  /** Analyses stored now (bounded by `maxStoredAnalyses`). */
  stored: number;
}
