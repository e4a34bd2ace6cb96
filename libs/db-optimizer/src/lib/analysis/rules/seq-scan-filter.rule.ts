import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { chooseIndexKeys, createIndexSql } from './index-keys';
import { FILTER_REMOVED_TIERS, LARGE_TABLE_ROWS, severityFor } from './rule-thresholds.constants';
import { formatCount, nodeRef, percent, relationName, scanPredicates } from './rule-helpers';
import type { AnalysisRule, RuleContext, Suggestion } from './suggestion.interface';

/**
 * A sequential scan of a large table (PgHero: 10k rows and more) whose filter
 * throws most rows away (pev2: over 50% / 90%): an index on the filtered
 * columns would read only the rows kept. Without ANALYZE numbers, the planner's
 * own estimate of the rows kept stands in for the count.
 */
export const seqScanFilterRule: AnalysisRule = {
  id: 'seq-scan-filter',
  source: 'plan',
  check(context) {
    const suggestions: Suggestion[] = [];
    for (const node of context.plan?.nodes ?? []) {
      if (node.nodeType !== 'Seq Scan' || !node.relation || context.plan?.rawNodes[node.id].Filter === undefined) continue;
      const suggestion = checkScan(context, node);
      if (suggestion) suggestions.push(suggestion);
    }
    return suggestions;
  },
};

function checkScan(context: RuleContext, node: PlanNodeSummary): Suggestion | undefined {
  const table = context.tables.find(node.schema, node.relation ?? '');
  const scanned = scannedRows(node);
  const tableRows = table?.rows ?? scanned;
  if (tableRows === undefined || tableRows < LARGE_TABLE_ROWS) return undefined;
  const removed = removedShare(node, tableRows);
  const severity = severityFor(removed, FILTER_REMOVED_TIERS);
  if (severity === undefined) return undefined;
  const name = relationName(node) ?? node.relation ?? '';
  const scan = `Seq Scan on ${name} (${formatCount(tableRows)} rows) keeps ${percent(1 - removed)} of the rows it reads`;
  const index = chooseIndexKeys(scanPredicates(context, node, ['Filter']));
  if (!index) {
    const fix = `Index the column(s) this filter tests on ${name}.`;
    return { ruleId: seqScanFilterRule.id, severity, node: nodeRef(node), message: `${scan}.`, fix };
  }
  if (table && index.columns.length > 0 && context.tables.hasIndexLeadingWith(table, index.columns)) {
    return {
      ruleId: seqScanFilterRule.id,
      severity,
      node: nodeRef(node),
      message:
        `${scan}, although an index on (${index.columns.join(', ')}) exists: ` +
        "the planner's statistics may be stale, or the filter's types may not match the index.",
      fix: `ANALYZE ${name}`,
    };
  }
  return {
    ruleId: seqScanFilterRule.id,
    severity,
    node: nodeRef(node),
    message: `${scan}: an index on (${index.keys.join(', ')}) would read only the matching rows.`,
    fix: createIndexSql(node.schema, node.relation ?? '', index),
  };
}

/** Rows the scan read: kept plus removed, over all loops (ANALYZE only). */
function scannedRows(node: PlanNodeSummary): number | undefined {
  if (node.actualRows === undefined) return undefined;
  return node.actualRows + (node.rowsRemovedByFilter ?? 0);
}

/** Share of rows the filter discarded: counted with ANALYZE, estimated from the plan otherwise. */
function removedShare(node: PlanNodeSummary, tableRows: number): number {
  const scanned = scannedRows(node);
  if (scanned !== undefined && node.loops) return scanned === 0 ? 0 : (node.rowsRemovedByFilter ?? 0) / scanned;
  // Plan Rows is per process under a Gather: the whole scan keeps (workers + 1) times as many.
  const kept = node.planRows * (node.workers + 1);
  return Math.max(0, 1 - kept / tableRows);
}
