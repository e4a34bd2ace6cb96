import type { StatementFacts } from './statement-facts';

/**
 * A read scoring at least this much goes to the analytics pool.
 *
 * The rule, since "analytical" has no standard definition:
 * - GROUP BY (2), grouping sets / ROLLUP / CUBE (+1) and window functions (2)
 *   are analytical on their own: they sort or hash many rows by design.
 * - An aggregate (1), a two-relation join (1), a set operation (1) and
 *   DISTINCT (1) are not, alone, but any two together are: aggregates over a
 *   join, DISTINCT over a UNION...
 * - A join of three or more relations in one FROM (2) is analytical alone.
 *
 * So `SELECT count(*) FROM t WHERE id = $1` stays a READ: the text cannot
 * tell whether it scans one row or ten million. A plan-cost check at run time
 * is the tool for `SELECT count(*) FROM big_table`, not the parser.
 */
export const ANALYTICAL_THRESHOLD = 2;

/** The score of a read and the signals behind it, for the `reason`. */
export interface AnalyticalScore {
  score: number;
  signals: string[];
}

export function analyticalScore(facts: StatementFacts): AnalyticalScore {
  const signals: string[] = [];
  let score = 0;
  const add = (points: number, signal: string): void => {
    score += points;
    signals.push(signal);
  };
  if (facts.groupBy) add(2, 'GROUP BY');
  if (facts.groupingSets) add(1, 'grouping sets');
  if (facts.window) add(2, 'window function');
  if (facts.aggregate) add(1, 'aggregate');
  if (facts.widestFrom >= 3) add(2, `join of ${facts.widestFrom} relations`);
  else if (facts.widestFrom === 2) add(1, 'join of 2 relations');
  if (facts.setOperation) add(1, 'set operation');
  if (facts.distinct) add(1, 'DISTINCT');
  return { score, signals };
}
