import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { DOMINANT_NODE_MIN_EXECUTION_MS, DOMINANT_NODE_TIERS, severityFor } from './rule-thresholds.constants';
import { nodeRef, percent, relationName } from './rule-helpers';
import type { AnalysisRule } from './suggestion.interface';

/**
 * The node that takes most of the execution time on its own (exclusive time;
 * pev2: above 10% / 40% / 90%): where tuning pays first. One suggestion per
 * plan, for plans of several nodes that took long enough to matter.
 */
export const dominantNodeRule: AnalysisRule = {
  id: 'dominant-node',
  source: 'plan',
  check(context) {
    const plan = context.plan;
    const executionMs = plan?.summary.executionTimeMs;
    if (!plan || executionMs === undefined || executionMs < DOMINANT_NODE_MIN_EXECUTION_MS || plan.nodes.length < 2) return [];
    const slowest = plan.nodes.reduce((best, node) => ((node.exclusiveTimeMs ?? 0) > (best.exclusiveTimeMs ?? 0) ? node : best));
    const ownMs = slowest.exclusiveTimeMs ?? 0;
    const share = Math.min(1, ownMs / executionMs);
    const severity = severityFor(share, DOMINANT_NODE_TIERS);
    if (!severity) return [];
    const table = relationName(slowest);
    const where = `${slowest.nodeType}${table ? ` on ${table}` : ''}`;
    const message =
      `${where} takes ${percent(share)} of the execution time ` + `(${ownMs.toFixed(1)} ms of ${executionMs.toFixed(1)} ms) on its own.`;
    return [{ ruleId: dominantNodeRule.id, severity, node: nodeRef(slowest), message, fix: fixFor(slowest) }];
  },
};

const FIXES: Readonly<Record<string, string>> = {
  'Seq Scan': 'Tune this scan first: an index matching its filter, or fewer rows read (see the other suggestions for this node).',
  Sort: 'Tune this sort first: an index in the ORDER BY order avoids it; more work_mem keeps it in memory.',
  'Nested Loop': "Tune this join first: an index on the inner side's join key, or fresh statistics so the planner can choose a hash join.",
};

function fixFor(node: PlanNodeSummary): string {
  return FIXES[node.nodeType] ?? 'Tune this node first: see the other suggestions for it (estimates, spills, indexes).';
}
