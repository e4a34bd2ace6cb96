import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { nodeRef } from './rule-helpers';
import type { AnalysisRule, Suggestion } from './suggestion.interface';

/**
 * Sorts, hashes and hash aggregates that ran out of `work_mem` and went to
 * disk (`Sort Space Type: Disk`, `Hash Batches > 1`, `HashAgg Batches > 1`).
 * The fix sizes `work_mem` from the plan: an in-memory sort needs about twice
 * its on-disk size; a hash needs its peak memory times its batches. Setting
 * it for the one query (SET LOCAL in its transaction) avoids raising it for
 * every connection.
 */
export const diskSpillRule: AnalysisRule = {
  id: 'disk-spill',
  source: 'plan',
  check(context) {
    const suggestions: Suggestion[] = [];
    for (const node of context.plan?.nodes ?? []) {
      const spill = spillOf(node);
      if (!spill) continue;
      suggestions.push({
        ruleId: diskSpillRule.id,
        severity: 'warning',
        node: nodeRef(node),
        message:
          `${node.nodeType} ${spill.what}: it ran out of work_mem. Give this query about ${megabytes(spill.neededKb)} of work_mem ` +
          '(SET LOCAL inside its transaction) rather than raising it for every connection.',
        fix: `SET work_mem = '${megabytes(spill.neededKb)}'`,
      });
    }
    return suggestions;
  },
};

interface Spill {
  what: string;
  neededKb: number;
}

function spillOf(node: PlanNodeSummary): Spill | undefined {
  if (node.sort?.spaceType === 'Disk') {
    const method = node.sort.method ?? 'external sort';
    return { what: `wrote ${node.sort.spaceUsedKb} kB to disk (${method})`, neededKb: node.sort.spaceUsedKb * 2 };
  }
  if (node.hash && node.hash.batches > 1) {
    return { what: `split into ${node.hash.batches} batches on disk`, neededKb: node.hash.peakMemoryKb * node.hash.batches };
  }
  if (node.hashAgg && (node.hashAgg.batches > 1 || node.hashAgg.diskUsageKb > 0)) {
    return {
      what: `wrote ${node.hashAgg.diskUsageKb} kB to disk in ${node.hashAgg.batches} batches`,
      neededKb: node.hashAgg.peakMemoryKb + node.hashAgg.diskUsageKb,
    };
  }
  return undefined;
}

/** Whole megabytes, rounded up (work_mem accepts `'10MB'`), at least 1 MB. */
function megabytes(kilobytes: number): string {
  return `${Math.max(1, Math.ceil(kilobytes / 1024))}MB`;
}
