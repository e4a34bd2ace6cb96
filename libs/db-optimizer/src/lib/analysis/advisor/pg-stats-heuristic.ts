import type { PoolClient } from 'pg';
import type { TableStatsCatalog } from '../../pg-catalog/table-stats-catalog';
import type { StatementShape } from '../../sql/shape/statement-shape.interface';
import type { IndexCandidate } from './index-candidates';

/** A column picked from pg_stats, with the share of the table one value matches. */
export interface SelectiveColumn {
  candidate: IndexCandidate;
  selectivity: number;
}

interface ColumnStats {
  attname: string;
  null_frac: number;
  n_distinct: number;
}

/**
 * PgHero's fallback without HypoPG: for single-table queries, the equality
 * column whose one value matches the smallest share of the table, when that
 * share is small enough and no index leads with the column. pg_stats gives
 * `n_distinct` (negative: a fraction of the rows) and `null_frac`.
 */
export async function mostSelectiveColumn(
  client: PoolClient,
  shape: StatementShape,
  catalog: TableStatsCatalog,
  limits: { minTableRows: number; maxSelectivity: number },
): Promise<SelectiveColumn | undefined> {
  let best: SelectiveColumn | undefined;
  for (const block of shape.blocks) {
    if (block.relations.length !== 1) continue;
    const table = catalog.find(block.relations[0].schema, block.relations[0].name);
    if (!table?.rows || table.rows < limits.minTableRows) continue;
    const columns = [
      ...new Set(
        block.predicates
          .filter((p) => p.conjunctive && !p.wrapped && (p.kind === 'equality' || p.kind === 'in'))
          .map((p) => p.column.column)
          .filter((column) => !catalog.hasIndexLeadingWith(table, [column])),
      ),
    ];
    if (columns.length === 0) continue;
    const { rows } = await client.query<ColumnStats>(COLUMN_STATS_SQL, [table.schema, table.name, columns]);
    for (const stats of rows) {
      const selectivity = valueSelectivity(stats, table.rows);
      if (selectivity === undefined || selectivity > limits.maxSelectivity) continue;
      if (!best || selectivity < best.selectivity) best = { candidate: { table, columns: [stats.attname] }, selectivity };
    }
  }
  return best;
}

const COLUMN_STATS_SQL = `
  SELECT attname, null_frac::float8 AS null_frac, n_distinct::float8 AS n_distinct
  FROM pg_stats
  WHERE schemaname = $1 AND tablename = $2 AND attname = ANY($3) AND NOT inherited`;

/** Share of the table's rows one value of the column matches, or undefined when pg_stats does not know. */
function valueSelectivity(stats: ColumnStats, tableRows: number): number | undefined {
  if (stats.n_distinct === 0) return undefined;
  const distinct = stats.n_distinct > 0 ? stats.n_distinct : -stats.n_distinct * tableRows;
  return (1 - stats.null_frac) / distinct;
}
