import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { chooseIndexKeys, createIndexSql } from './index-keys';
import { NESTED_LOOP_MANY_LOOPS, NESTED_LOOP_TIERS, severityFor } from './rule-thresholds.constants';
import type { Predicate } from '../../sql/shape/statement-shape.interface';
import { formatCount, nodeRef, relationName, relationOf, scanPredicates } from './rule-helpers';
import type { AnalysisRule, RuleContext, Suggestion } from './suggestion.interface';

// Nodes that only replay their child's rows: the scan below them is the one that matters.
const PASS_THROUGH = new Set(['Materialize', 'Memoize']);
/** An inner side that uses an index is reported only when it costs at least this share of the time. */
const INDEXED_INNER_MIN_SHARE = 0.1;

/**
 * Nested loops whose inner side ran many times (1000+). Scanning without an
 * index on each loop is quadratic: index the inner table's join key. With an
 * index, many cheap lookups can still lose to a hash join, which the planner
 * picks only when it knows how many outer rows there are.
 */
export const nestedLoopRule: AnalysisRule = {
  id: 'nested-loop',
  source: 'plan',
  check(context) {
    const nodes = context.plan?.nodes ?? [];
    const suggestions: Suggestion[] = [];
    for (const join of nodes) {
      if (join.nodeType !== 'Nested Loop') continue;
      const inner = nodes.find((node) => node.parentId === join.id && node.parentRelationship === 'Inner');
      if (!inner?.loops || inner.loops < NESTED_LOOP_MANY_LOOPS) continue;
      const scan = innerScan(nodes, inner);
      const indexed = /Index|Bitmap/.test(scan.nodeType);
      const suggestion = indexed ? indexedInner(context, join, inner) : unindexedInner(context, join, inner, scan);
      if (suggestion) suggestions.push(suggestion);
    }
    return suggestions;
  },
};

function unindexedInner(context: RuleContext, join: PlanNodeSummary, inner: PlanNodeSummary, scan: PlanNodeSummary): Suggestion {
  const table = relationName(scan);
  const severity = severityFor(inner.loops ?? 0, NESTED_LOOP_TIERS) ?? 'warning';
  const loops = formatCount(inner.loops ?? 0);
  const scanned = `${scan.nodeType}${table ? ` on ${table}` : ''}`;
  const message = `Nested Loop ran its inner ${scanned} ${loops} times, reading the table again on each outer row.`;
  const index = chooseIndexKeys(joinKeys(context, join, scan));
  if (!index || !scan.relation) {
    const fix = `Index the join column(s) of ${table ?? 'the inner table'}, or ANALYZE both tables so the planner can pick a hash join.`;
    return { ruleId: nestedLoopRule.id, severity, node: nodeRef(join), message, fix };
  }
  return {
    ruleId: nestedLoopRule.id,
    severity,
    node: nodeRef(join),
    message: `${message} An index on its join key turns each loop into a lookup.`,
    fix: createIndexSql(scan.schema, scan.relation, index),
  };
}

function indexedInner(context: RuleContext, join: PlanNodeSummary, inner: PlanNodeSummary): Suggestion | undefined {
  const executionMs = context.plan?.summary.executionTimeMs;
  if (!executionMs || (inner.totalTimeMs ?? 0) / executionMs < INDEXED_INNER_MIN_SHARE) return undefined;
  const outer = context.plan?.nodes.find((node) => node.parentId === join.id && node.parentRelationship === 'Outer');
  const outerTable = outer ? relationName(outer) : undefined;
  return {
    ruleId: nestedLoopRule.id,
    severity: 'info',
    node: nodeRef(join),
    message:
      `Nested Loop ran ${formatCount(inner.loops ?? 0)} index lookups (${(inner.totalTimeMs ?? 0).toFixed(1)} ms). ` +
      'If the outer side returns far more rows than the planner expected, a hash join would be cheaper.',
    fix: outerTable
      ? `ANALYZE ${outerTable}, then compare the plan with SET enable_nestloop = off`
      : "ANALYZE the outer side's tables, then compare the plan with SET enable_nestloop = off",
  };
}

/** The join condition: in the loop's Join Filter, or pushed down into the inner scan's own Filter. */
function joinKeys(context: RuleContext, join: PlanNodeSummary, scan: PlanNodeSummary): Predicate[] {
  const inner = relationOf(scan);
  if (!inner) return [];
  const conditions = [...scanPredicates(context, join, ['Join Filter'], inner), ...scanPredicates(context, scan, ['Filter'])];
  return conditions.filter((predicate) => predicate.joinedTo !== undefined);
}

function innerScan(nodes: readonly PlanNodeSummary[], inner: PlanNodeSummary): PlanNodeSummary {
  let current = inner;
  while (PASS_THROUGH.has(current.nodeType)) {
    const child = nodes.find((node) => node.parentId === current.id);
    if (!child) break;
    current = child;
  }
  return current;
}
