import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { qualifiedName, quoteIdent } from '../../sql/quote';
import { ROW_ESTIMATE_MIN_ROWS, ROW_ESTIMATE_TIERS, severityFor } from './rule-thresholds.constants';
import { formatCount, nodeRef, relationName, scanPredicates } from './rule-helpers';
import type { AnalysisRule, RuleContext, Suggestion } from './suggestion.interface';

const SKIPPED_NODES = new Set(['ModifyTable', 'LockRows']);
const CONDITION_FIELDS = ['Filter', 'Index Cond', 'Recheck Cond'];

/**
 * Row estimates off by 10x or more (pev2's 10x / 100x / 1000x). Reported
 * where the error starts: a node whose child already misestimates inherits
 * the error, so it is skipped. The fix is fresh statistics, or extended
 * statistics when several columns of one table are filtered together
 * (PostgreSQL multiplies their selectivities as if independent).
 */
export const rowEstimateRule: AnalysisRule = {
  id: 'row-estimate',
  source: 'plan',
  check(context) {
    const plan = context.plan;
    if (!plan?.summary.analyzed) return [];
    const belowLimit = limitedNodes(plan.nodes);
    const inheritsError = new Set<number>();
    const suggestions: Suggestion[] = [];
    // Children come after their parent in depth-first order: walk backwards to see them first.
    for (let id = plan.nodes.length - 1; id >= 0; id--) {
      const node = plan.nodes[id];
      const suggestion = inheritsError.has(id) ? undefined : checkNode(context, node, belowLimit.has(id));
      if (suggestion) suggestions.unshift(suggestion);
      if ((suggestion || inheritsError.has(id)) && node.parentId !== undefined) inheritsError.add(node.parentId);
    }
    return suggestions;
  },
};

function checkNode(context: RuleContext, node: PlanNodeSummary, belowLimit: boolean): Suggestion | undefined {
  if (!node.loops || SKIPPED_NODES.has(node.nodeType)) return undefined;
  const actualPerLoop = (node.actualRows ?? 0) / node.loops;
  const planned = node.planRows;
  if (Math.max(node.actualRows ?? 0, planned * node.loops) < ROW_ESTIMATE_MIN_ROWS) return undefined;
  const under = actualPerLoop > planned;
  // Below a LIMIT, children stop early by design: fewer rows than planned is no misestimate.
  if (!under && belowLimit) return undefined;
  const factor = Math.max(actualPerLoop, 1) / Math.max(planned, 1);
  const off = under ? factor : 1 / factor;
  const severity = severityFor(off, ROW_ESTIMATE_TIERS, { inclusive: true });
  if (severity === undefined) return undefined;
  const where = relationName(node) ? `${node.nodeType} on ${relationName(node)}` : node.nodeType;
  return {
    ruleId: rowEstimateRule.id,
    severity,
    node: nodeRef(node),
    message:
      `${where}: the planner expected ${formatCount(planned)} rows per loop but got ${formatCount(actualPerLoop)} ` +
      `(${Math.round(off)}x ${under ? 'under' : 'over'}); plans built on this estimate (join order and method, memory) may be poor.`,
    fix: fixFor(context, node),
  };
}

function fixFor(context: RuleContext, node: PlanNodeSummary): string {
  const table = relationName(node);
  if (node.relation && table) {
    const columns = correlatedColumns(context, node);
    if (columns.length < 2) return `ANALYZE ${table}`;
    const name = quoteIdent(`${node.relation}_${columns.join('_')}_stats`.slice(0, 63));
    const statistics = node.schema ? `${quoteIdent(node.schema)}.${name}` : name;
    return `CREATE STATISTICS ${statistics} (dependencies) ON ${columns.map(quoteIdent).join(', ')} FROM ${table}; ANALYZE ${table}`;
  }
  const scanned = descendants(context, node).flatMap((child) => (child.relation ? [qualifiedName(child.schema, child.relation)] : []));
  const tables = [...new Set(scanned)];
  return tables.length > 0 ? `ANALYZE ${tables.join(', ')}` : 'ANALYZE the tables this part of the plan reads.';
}

/** Columns of the node's own table compared with values (not with other tables): candidates for extended statistics. */
function correlatedColumns(context: RuleContext, node: PlanNodeSummary): string[] {
  const predicates = scanPredicates(context, node, CONDITION_FIELDS).filter(
    (predicate) => predicate.conjunctive && !predicate.wrapped && !predicate.joinedTo && predicate.kind !== 'other',
  );
  return [...new Set(predicates.map((predicate) => predicate.column.column))];
}

function descendants(context: RuleContext, node: PlanNodeSummary): PlanNodeSummary[] {
  return (context.plan?.nodes ?? []).filter((candidate) => candidate.path.startsWith(`${node.path}.`));
}

/** Ids of nodes with a Limit above them. */
function limitedNodes(nodes: readonly PlanNodeSummary[]): Set<number> {
  const limited = new Set<number>();
  for (const node of nodes) {
    if (node.parentId === undefined) continue;
    if (limited.has(node.parentId) || nodes[node.parentId].nodeType === 'Limit') limited.add(node.id);
  }
  return limited;
}
