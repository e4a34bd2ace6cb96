import { diskSpillRule } from './disk-spill.rule';
import { dominantNodeRule } from './dominant-node.rule';
import { functionOnColumnRule } from './function-on-column.rule';
import { heapFetchesRule } from './heap-fetches.rule';
import { largeOffsetRule } from './large-offset.rule';
import { leadingWildcardRule } from './leading-wildcard.rule';
import { nestedLoopRule } from './nested-loop.rule';
import { rowEstimateRule } from './row-estimate.rule';
import { selectStarRule } from './select-star.rule';
import { seqScanFilterRule } from './seq-scan-filter.rule';
import type { AnalysisRule, RuleContext, Suggestion, SuggestionSeverity } from './suggestion.interface';
import { unboundedReadRule } from './unbounded-read.rule';
import { unboundedWriteRule } from './unbounded-write.rule';

/**
 * Every rule, plan rules first. Pass a filtered or extended copy to
 * `PlanAnalyzer` to mute or add rules.
 * @publicApi
 */
export const ANALYSIS_RULES: readonly AnalysisRule[] = Object.freeze([
  seqScanFilterRule,
  rowEstimateRule,
  diskSpillRule,
  heapFetchesRule,
  nestedLoopRule,
  dominantNodeRule,
  unboundedWriteRule,
  unboundedReadRule,
  selectStarRule,
  leadingWildcardRule,
  functionOnColumnRule,
  largeOffsetRule,
]);

const SEVERITY_ORDER: Record<SuggestionSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Runs the rules that have what they need (plan rules only with a plan) and
 * returns their suggestions, most severe first. Rules are pure, so a rule
 * that throws is a bug: it propagates rather than hiding.
 *
 * @example
 * const suggestions = runRules({ statement, plan, tables: TableCatalog.EMPTY });
 * @publicApi
 */
export function runRules(context: RuleContext, rules: readonly AnalysisRule[] = ANALYSIS_RULES): Suggestion[] {
  const suggestions: Suggestion[] = [];
  for (const rule of rules) {
    if (rule.source === 'plan' && !context.plan) continue;
    if (rule.source === 'statement' && !context.statement) continue;
    suggestions.push(...rule.check(context));
  }
  // Stable sort: within a severity, rule order and plan order stay.
  return suggestions.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
