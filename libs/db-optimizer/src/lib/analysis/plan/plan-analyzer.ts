import { DatabaseError } from 'pg';
import type { PoolClient } from 'pg';
import { loadSqlParser } from '../../sql/parser';
import type { QueryClassification } from '../../core/query-classification.interface';
import { QueryClassifier } from '../../classify/query-classifier';
import { EXPLAIN_FAILED, PLANNED_ONLY, PRIMARY_NOT_ANALYZED, SIDE_EFFECT_FUNCTION, VOLATILE_FUNCTION, WRITE_ROLLED_BACK } from '../analysis.messages';
import { TableStatsCatalog } from '../../pg-catalog/table-stats-catalog';
import type { ExplainRunner, SqlClassifier } from '../explain-runner.interface';
import { ANALYSIS_RULES, runRules } from '../rules/rule-registry';
import type { AnalysisRule, Suggestion } from '../rules/suggestion.interface';
import { readStatementShape } from '../../sql/shape/read-statement-shape';
import type { StatementShape } from '../../sql/shape/statement-shape.interface';
import { explainableStatement } from './explainable-statement';
import { assertTimeout, ExplainOutcome, explainInTransaction } from './explain-in-transaction';
import { explainSettings } from './explain-settings';
import { sideEffectFunction } from './side-effect-functions';
import { FunctionVolatilityCatalog } from '../../pg-catalog/function-volatility';
import type { CatalogQuery } from '../../pg-catalog/catalog-query';
import type { StatementSafety } from '../../classify/statement-safety';
import { normalizePlan } from './normalize-plan';
import type { PlanAnalysis, PlanAnalysisOptions } from './plan-analysis.interface';
import type { RawExplainOutput } from './raw-plan.interface';

/** Construction options of {@link PlanAnalyzer}. */
export interface PlanAnalyzerOptions {
  /** The rules to run. @default ANALYSIS_RULES */
  rules?: readonly AnalysisRule[];
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Explains a statement and turns the plan into suggestions with exact fixes.
 * Reads run on a replica inside `BEGIN READ ONLY ... ROLLBACK`; anything else
 * runs on the primary inside `BEGIN ... ROLLBACK`, always rolled back. Both
 * with a `statement_timeout`. Text that does not parse, or holds several
 * statements, is refused before anything runs.
 *
 * @example
 * const analyzer = new PlanAnalyzer(runner, queryOptimizer);
 * const { summary, suggestions } = await analyzer.analyzeExecutionPlan(
 *   'SELECT * FROM shop.orders WHERE customer_id = $1', [42],
 * );
 * // suggestions[0].fix: 'CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)'
 * @publicApi
 */
export class PlanAnalyzer {
  private readonly rules: readonly AnalysisRule[];
  /** Volatility look-ups when the classifier has no catalog of its own (a plain QueryClassifier): always run on the EXPLAIN's client. */
  private readonly volatility = new FunctionVolatilityCatalog(() => Promise.reject(new Error('no catalog connection')));

  constructor(
    private readonly runner: ExplainRunner,
    private readonly classifier: SqlClassifier = new QueryClassifier(),
    options: PlanAnalyzerOptions = {},
  ) {
    this.rules = options.rules ?? ANALYSIS_RULES;
  }

  /**
   * EXPLAIN (ANALYZE, BUFFERS) the statement (or only plan it with `analyze: false`) and analyze the plan.
   * @throws UnexplainableQueryError before running anything, for bad or multiple statements.
   * @throws Error with the server's error as `cause` when the EXPLAIN fails (a timeout, for instance).
   */
  async analyzeExecutionPlan(sql: string, params: readonly unknown[] = [], options: PlanAnalysisOptions = {}): Promise<PlanAnalysis> {
    await loadSqlParser();
    const { classification, statement } = explainableStatement(this.classifier, sql);
    const analyze = options.analyze ?? true;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    assertTimeout(timeoutMs);
    const settings = explainSettings(options.settings);
    const shape = readStatementShape(statement.stmt, params);
    const onReplica = classification.target !== 'primary';
    const analyzeOnPrimary = options.analyzeOnPrimary ?? true;
    const request = { statement: statement.text, params, analyze, timeoutMs, settings, readOnly: onReplica };
    let ranOn: 'replica' | 'primary' = onReplica ? 'replica' : 'primary';
    // The catalog look-ups share the EXPLAIN's connection and transaction: one checkout, a few round trips more.
    const run = (client: PoolClient, where?: 'replica' | 'primary') => {
      if (where) ranOn = where;
      const planOnlyBecause = async (inside: PoolClient): Promise<string | undefined> => {
        if (ranOn === 'primary' && !analyzeOnPrimary) return PRIMARY_NOT_ANALYZED();
        return this.sideEffectsOf(classification, (sql, values) => inside.query(sql, values));
      };
      return explainInTransaction(client, { ...request, planOnlyBecause }, (inside, output) =>
        TableStatsCatalog.load(inside, tablesOf(output, shape)),
      );
    };
    let result: ExplainOutcome<TableStatsCatalog>;
    try {
      result = await (onReplica ? this.runner.onReplica(run) : this.runner.onPrimary(run));
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      throw new Error(EXPLAIN_FAILED(ranOn, classification.normalizedSql, error.message), { cause: error });
    }
    const plan = normalizePlan(result.output);
    const warnings = !analyze
      ? [PLANNED_ONLY()]
      : result.plannedOnlyBecause !== undefined
        ? [result.plannedOnlyBecause]
        : ranOn === 'primary'
          ? [WRITE_ROLLED_BACK()]
          : [];
    return {
      fingerprint: classification.fingerprint,
      normalizedSql: classification.normalizedSql,
      ranOn,
      summary: plan.summary,
      nodes: plan.nodes,
      suggestions: runRules({ statement: shape, plan, tables: result.extra }, this.rules),
      warnings,
      plan: result.output,
    };
  }

  /**
   * The suggestions the parse tree alone supports (SELECT *, UPDATE/DELETE
   * without WHERE, leading-wildcard LIKE, functions around filtered columns,
   * large OFFSET). Runs nothing; needs `await loadSqlParser()` first.
   * @throws UnexplainableQueryError for bad or multiple statements.
   */
  analyzeStatement(sql: string, params: readonly unknown[] = []): Suggestion[] {
    const { statement } = explainableStatement(this.classifier, sql);
    const shape = readStatementShape(statement.stmt, params);
    return runRules({ statement: shape, tables: TableStatsCatalog.EMPTY }, this.rules);
  }

  /**
   * Why the statement must not run inside the rolled-back frame, if it must not: a built-in
   * with effects a rollback does not undo, or a VOLATILE (or unknown) function, which may have
   * any. Asked on the EXPLAIN's own connection; a failed look-up counts as unsafe.
   */
  private async sideEffectsOf(classification: QueryClassification, via: CatalogQuery): Promise<string | undefined> {
    const named = sideEffectFunction(classification.functions);
    if (named !== undefined) return SIDE_EFFECT_FUNCTION(named);
    if (classification.functions.length === 0 && classification.operators.length === 0 && classification.castTypes.length === 0) {
      return undefined;
    }
    let safety: StatementSafety;
    try {
      safety = this.classifier.safetyOf
        ? await this.classifier.safetyOf(classification, via)
        : await this.volatility.assess(classification.functions, via);
    } catch (error) {
      return VOLATILE_FUNCTION(`the volatility of its functions is unknown (${(error as Error).message})`);
    }
    return safety.mayWrite ? VOLATILE_FUNCTION(safety.reason ?? 'it calls a VOLATILE function') : undefined;
  }

  /** The classification the analyzer routes by (cached by the classifier). */
  classify(sql: string): QueryClassification {
    return this.classifier.classify(sql);
  }
}

/** Tables to look up: each scan's (schema known from VERBOSE) and each the statement names (as written). */
function tablesOf(output: RawExplainOutput, shape: StatementShape | undefined): Array<{ schema?: string; name: string }> {
  const tables: Array<{ schema?: string; name: string }> = [];
  const visit = (node: RawExplainOutput[number]['Plan']): void => {
    if (node['Relation Name']) tables.push({ schema: node.Schema, name: node['Relation Name'] });
    for (const child of node.Plans ?? []) visit(child);
  };
  if (output[0]?.Plan) visit(output[0].Plan);
  for (const block of shape?.blocks ?? []) tables.push(...block.relations);
  return tables;
}
