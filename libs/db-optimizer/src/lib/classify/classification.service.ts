import { Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { DB_OPTIMIZER_CATALOG_QUERY, DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from '../core/db-optimizer.constants';
import type { QueryClassification } from '../core/query-classification.interface';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { FunctionVolatilityCatalog, VolatilityAssessment } from '../pg-catalog/function-volatility';
import { OperatorCastCatalog } from '../pg-catalog/operator-cast-volatility';
import type { CatalogQuery } from '../pg-catalog/catalog-query';
import { ClassificationCacheStats, QueryClassifier } from './query-classifier';
import { changesData, NO_FUNCTIONS, StatementSafety } from './statement-safety';

/** A safety answer and until when it holds: it expires with the catalog answers it came from. */
interface HeldSafety {
  value: StatementSafety | Promise<StatementSafety>;
  /** On `performance.now()`'s clock; Infinity when answers never expire (`functionVolatilityTtlMs: 0`). */
  expiresAt: number;
  generation: number;
}

/**
 * The hot path's view of a statement: the parser's classification (cached per
 * text) and the catalog's word on the functions, operators and casts it calls
 * (cached per classification for `functionVolatilityTtlMs`, and dropped at once
 * after function DDL that passes through the module). Nothing here runs
 * EXPLAIN or touches metrics.
 */
@Injectable()
export class ClassificationService {
  private readonly logger = new Logger(ClassificationService.name);
  private readonly classifier: QueryClassifier;
  private readonly volatility: FunctionVolatilityCatalog;
  private readonly operatorsAndCasts: OperatorCastCatalog;
  private readonly safety = new WeakMap<QueryClassification, HeldSafety>();
  /** Statements seen failing a replica with 25006 although their functions looked read-only (a view over nextval...). */
  private writingStatements = new WeakSet<QueryClassification>();
  /** Whether `writingStatements` holds any (a WeakSet cannot say): almost never, and then the hot path skips its lookup. */
  private anyWritingStatement = false;
  private readonly ttlMs: number;
  private generation = 0;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions,
    @Inject(DB_OPTIMIZER_SQL_PARSER) _parserLoaded: true,
    @Inject(DB_OPTIMIZER_CATALOG_QUERY) catalogQuery: CatalogQuery,
  ) {
    this.classifier = new QueryClassifier(options.classificationCacheSize, options.classificationCacheMaxBytes);
    this.ttlMs = options.functionVolatilityTtlMs;
    this.volatility = new FunctionVolatilityCatalog(catalogQuery, 2000, this.ttlMs);
    this.operatorsAndCasts = new OperatorCastCatalog(catalogQuery, 2000, this.ttlMs);
  }

  /** Parser view of a statement: type, target, tables, fingerprint. Cached per text. */
  classify(sql: string): QueryClassification {
    return this.classifier.classify(sql);
  }

  /**
   * Volatility of what a statement calls, from the catalog (cached). Usually known: no promise on the hot path.
   * @param via where to run catalog look-ups: inside a transaction, its own client, so a full pool never makes it wait.
   * @param nowMs `performance.now()`, when the caller has just read it: a clock read costs 40-50 ns on the bench's VM.
   */
  safetyOf(classification: QueryClassification, via?: CatalogQuery, nowMs?: number): StatementSafety | Promise<StatementSafety> {
    if (this.anyWritingStatement && this.writingStatements.has(classification)) {
      return { readSafe: false, deterministic: false, mayWrite: true, mayKeepSessionState: true, reason: 'wrote on a replica (SQLSTATE 25006)' };
    }
    if (classification.functions.length === 0 && classification.operators.length === 0 && classification.castTypes.length === 0) {
      return NO_FUNCTIONS;
    }
    const held = this.safety.get(classification);
    const now = nowMs ?? performance.now();
    if (held && held.generation === this.generation && now < held.expiresAt) return held.value;
    const generation = this.generation;
    const expiresAt = this.ttlMs > 0 ? now + this.ttlMs : Infinity;
    const pending = this.assess(classification, via).then(
      (assessment) => {
        if (generation === this.generation) this.safety.set(classification, { value: assessment, expiresAt, generation });
        return assessment;
      },
      (error: unknown) => {
        // Not cached: the next call asks the catalog again.
        this.safety.delete(classification);
        return {
          readSafe: false,
          deterministic: false,
          mayWrite: true,
          mayKeepSessionState: true,
          reason: `volatility unknown: ${(error as Error).message}`,
        };
      },
    );
    this.safety.set(classification, { value: pending, expiresAt, generation });
    return pending;
  }

  /** `changesData()` with the catalog's view of the statement's functions (cached). */
  async mayChangeData(classification: QueryClassification, via?: CatalogQuery): Promise<boolean> {
    if (classification.target === 'primary' || classification.queryType === 'WRITE') return true;
    const known = this.safetyOf(classification, via);
    return changesData(classification, known instanceof Promise ? await known : known);
  }

  /**
   * Whether running the statement may have left session state that the parser could not see:
   * code it cannot read (DO, CALL) or a function that may write (VOLATILE user functions can
   * call set_config(..., false), take session locks...). Such a connection is reset before reuse.
   */
  async mayLeaveHiddenSessionState(classification: QueryClassification, via?: CatalogQuery): Promise<boolean> {
    if (classification.opaqueCode) return true;
    if (classification.functions.length === 0 && classification.operators.length === 0 && classification.castTypes.length === 0) return false;
    const known = this.safetyOf(classification, via);
    return (known instanceof Promise ? await known : known).mayKeepSessionState;
  }

  /**
   * A read of this statement failed on a replica with SQLSTATE 25006: it writes, whatever
   * its functions are declared as. It and its user functions stay on the primary from now
   * on (until function DDL through the module clears what is known).
   */
  rememberWriting(classification: QueryClassification): void {
    this.writingStatements.add(classification);
    this.anyWritingStatement = true;
    const blamed = this.volatility.rememberWriting(classification.functions);
    this.generation++;
    this.logger.warn(
      `A read failed on a replica as a write (SQLSTATE 25006); it runs on the primary from now on` +
        (blamed.length > 0 ? `, as does every statement calling ${blamed.map((name) => `${name}()`).join(', ')}.` : '.'),
    );
  }

  /** Forgets every catalog answer: functions, operators or casts were created, altered or dropped. */
  forgetFunctionFacts(): void {
    this.volatility.clear();
    this.operatorsAndCasts.clear();
    this.writingStatements = new WeakSet();
    this.anyWritingStatement = false;
    this.generation++;
  }

  /** Classifier cache counters. */
  get cacheStats(): ClassificationCacheStats {
    return this.classifier.stats();
  }

  private async assess(classification: QueryClassification, via: CatalogQuery | undefined): Promise<StatementSafety> {
    // One after the other: `via` may be a single connection (a transaction's), which takes one query at a time anyway.
    const functions = classification.functions.length === 0 ? NO_FUNCTIONS : await this.volatility.assess(classification.functions, via);
    const hidden = await this.operatorsAndCasts.assess(classification.operators, classification.castTypes, via);
    return worstOf(functions, hidden);
  }
}

function worstOf(a: VolatilityAssessment, b: VolatilityAssessment): StatementSafety {
  const combined: StatementSafety = {
    readSafe: a.readSafe && b.readSafe,
    deterministic: a.deterministic && b.deterministic,
    mayWrite: a.mayWrite || b.mayWrite,
    mayKeepSessionState: a.mayKeepSessionState || b.mayKeepSessionState,
  };
  const reason = a.reason ?? b.reason;
  return reason === undefined ? combined : { ...combined, reason };
}
