import { qualifiedName, quoteIdent } from '../../sql/quote';
import type { StatementAdvice } from './advice-session';
import type { IndexRecommendation } from './index-advice.interface';

/**
 * One recommendation per index: statements that want the same index share
 * it. Costs are those of the costliest statement (the workload is ranked),
 * rounded to hundredths of a planner unit.
 */
export function mergeAdvice(advice: readonly StatementAdvice[], verifiedWithHypopg: boolean): IndexRecommendation[] {
  const byIndex = new Map<string, IndexRecommendation>();
  for (const entry of advice) {
    const { table, columns } = entry.candidate;
    const tableName = qualifiedName(table.schema, table.name);
    const key = `${tableName} (${columns.join(', ')})`;
    const known = byIndex.get(key);
    if (known) {
      known.queries.push(entry.item.normalizedSql);
      known.fingerprints.push(entry.item.fingerprint);
      continue;
    }
    byIndex.set(key, {
      table: tableName,
      columns: [...columns],
      statement: `CREATE INDEX CONCURRENTLY ON ${tableName} (${columns.map(quoteIdent).join(', ')})`,
      costBefore: round(entry.costBefore),
      ...(entry.costAfter !== undefined && { costAfter: round(entry.costAfter) }),
      ...(entry.improvement !== undefined && { improvement: Math.round(entry.improvement * 1000) / 1000 }),
      verifiedWithHypopg,
      queries: [entry.item.normalizedSql],
      fingerprints: [entry.item.fingerprint],
      ...(entry.selectivity !== undefined && { estimatedSelectivity: entry.selectivity }),
    });
  }
  return [...byIndex.values()];
}

function round(cost: number): number {
  return Math.round(cost * 100) / 100;
}
