import { HEAP_FETCH_TIERS, severityFor } from './rule-thresholds.constants';
import { nodeRef, percent, relationName } from './rule-helpers';
import type { AnalysisRule, Suggestion } from './suggestion.interface';

/**
 * Index-only scans that still visit the heap: pages not marked all-visible
 * in the visibility map force a heap fetch per row (pev2: above 0 / 40% / 90%
 * of the rows). VACUUM sets the bits back.
 */
export const heapFetchesRule: AnalysisRule = {
  id: 'heap-fetches',
  source: 'plan',
  check(context) {
    const suggestions: Suggestion[] = [];
    for (const node of context.plan?.nodes ?? []) {
      if (node.nodeType !== 'Index Only Scan' || !node.heapFetches || !node.actualRows) continue;
      const share = Math.min(1, node.heapFetches / node.actualRows);
      const severity = severityFor(share, HEAP_FETCH_TIERS);
      const table = relationName(node);
      if (!severity || !table) continue;
      suggestions.push({
        ruleId: heapFetchesRule.id,
        severity,
        node: nodeRef(node),
        message:
          `Index Only Scan on ${table} fetched ${percent(share)} of its rows from the heap: ` +
          'the visibility map is out of date, so the index alone could not answer.',
        fix: `VACUUM (ANALYZE) ${table}`,
      });
    }
    return suggestions;
  },
};
