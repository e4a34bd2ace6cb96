// Query analysis: plans, suggestions, slow-query explains, index advice. Named exports only;
// the library's src/index.ts re-exports what is public.
export { PlanAnalyzer } from './plan/plan-analyzer';
export type { PlanAnalyzerOptions } from './plan/plan-analyzer';
export type { PlanAnalysis, PlanAnalysisOptions } from './plan/plan-analysis.interface';
export type { PlanNodeSummary, PlanSummary } from './plan/plan-node-summary.interface';
export type { RawExplainEntry, RawExplainOutput, RawPlanNode } from './plan/raw-plan.interface';
export type { ExplainRunner, SqlClassifier } from './explain-runner.interface';
export { UnexplainableQueryError } from './unexplainable-query.error';
export { ANALYSIS_RULES, runRules } from './rules/rule-registry';
export type { AnalysisRule, RuleContext, Suggestion, SuggestionNodeRef, SuggestionSeverity } from './rules/suggestion.interface';
export { TableStatsCatalog } from '../pg-catalog/table-stats-catalog';
export type { IndexFacts, TableFacts } from '../pg-catalog/table-stats-catalog';
export { SlowQueryExplainer } from './slow/slow-query-explainer';
export type { SlowQueryAnalyzer, SlowQueryExplainerOptions } from './slow/slow-query-explainer';
export type { SlowCall, SlowQueryAnalysis, SlowQueryExplainerStats } from './slow/slow-query-analysis.interface';
export type { Clock } from '../core/clock';
export { IndexAdvisor } from './advisor/index-advisor';
export type { IndexAdvice, IndexAdvisorOptions, IndexRecommendation, WorkloadStatement } from './advisor/index-advice.interface';
