import type { TableStatsCatalog, TableFacts } from '../../pg-catalog/table-stats-catalog';
import type { ColumnUse, QueryBlock, RelationRef, StatementShape } from '../../sql/shape/statement-shape.interface';

/** A hypothetical index to try: a table and one or two key columns. */
export interface IndexCandidate {
  table: TableFacts;
  columns: string[];
}

const EQUALITY_KINDS = new Set(['equality', 'in']);

/**
 * Dexter's candidates: the columns each query filters, joins or sorts on,
 * alone and in pairs (equality + equality, equality + range, equality +
 * first ORDER BY key), per table. Candidates an existing index already
 * covers (its leading columns) are left out. Singles come first.
 */
export function indexCandidates(shape: StatementShape, catalog: TableStatsCatalog, max: number): IndexCandidate[] {
  const singles = new Map<string, IndexCandidate>();
  const pairs = new Map<string, IndexCandidate>();
  for (const block of shape.blocks) {
    for (const relation of block.relations) {
      const table = catalog.find(relation.schema, relation.name);
      if (!table) continue;
      const { equality, range, order } = columnsOn(block, relation);
      const add = (into: Map<string, IndexCandidate>, columns: string[]): void => {
        if (new Set(columns).size !== columns.length || catalog.hasIndexLeadingWith(table, columns)) return;
        into.set(`${table.schema}.${table.name}(${columns.join(',')})`, { table, columns });
      };
      for (const column of [...equality, ...range, ...order.slice(0, 1)]) add(singles, [column]);
      equality.forEach((first, i) => equality.slice(i + 1).forEach((second) => add(pairs, [first, second])));
      for (const first of equality) for (const second of [...range, ...order.slice(0, 1)]) add(pairs, [first, second]);
    }
  }
  return [...singles.values(), ...pairs.values()].slice(0, max);
}

/** Columns of one relation by use, each list without repeats, in text order. */
function columnsOn(block: QueryBlock, relation: RelationRef): { equality: string[]; range: string[]; order: string[] } {
  const own = (column: ColumnUse): boolean => column.relation === relation;
  const usable = block.predicates.filter((predicate) => predicate.conjunctive && !predicate.wrapped && own(predicate.column));
  const unique = (columns: string[]): string[] => [...new Set(columns)];
  return {
    equality: unique(usable.filter((p) => EQUALITY_KINDS.has(p.kind)).map((p) => p.column.column)),
    range: unique(usable.filter((p) => p.kind === 'range').map((p) => p.column.column)),
    order: unique(block.orderBy.filter(own).map((column) => column.column)),
  };
}
