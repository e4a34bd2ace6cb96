import { qualifiedName, quoteIdent } from '../../sql/quote';
import type { Predicate } from '../../sql/shape/statement-shape.interface';

/** The key list of an index worth creating, and how it is built. */
export interface IndexKeys {
  /** Key SQL in order: `customer_id`, `(lower(email))`, `email gin_trgm_ops`. */
  keys: string[];
  /** Plain column names of the keys (empty for an expression index). */
  columns: string[];
  method?: 'gin';
  /** An extension the index needs (`pg_trgm`). */
  extension?: string;
}

const EQUALITY_KINDS = new Set(['equality', 'in']);

/**
 * Index keys for the conditions on one table, by the usual rule: equality
 * columns first (at most two), then one range column; otherwise an
 * expression index for a wrapped column, a trigram index for `LIKE '%x'`, a
 * pattern index for `LIKE 'x%'`. Only conditions every row must meet count.
 */
export function chooseIndexKeys(predicates: readonly Predicate[]): IndexKeys | undefined {
  const usable = predicates.filter((predicate) => predicate.conjunctive);
  const plain = usable.filter((predicate) => !predicate.wrapped);
  const equality = unique(plain.filter((predicate) => EQUALITY_KINDS.has(predicate.kind)).map((p) => p.column.column));
  const range = unique(plain.filter((predicate) => predicate.kind === 'range').map((p) => p.column.column));
  if (equality.length > 0 || range.length > 0) {
    const columns = equality.length >= 2 ? equality.slice(0, 2) : [...equality, ...range].slice(0, 2);
    return { keys: columns.map(quoteIdent), columns };
  }
  const expression = usable.find((p) => p.wrapped?.sql && (EQUALITY_KINDS.has(p.kind) || p.kind === 'range'));
  if (expression?.wrapped?.sql) return { keys: [`(${expression.wrapped.sql})`], columns: [] };
  const anywhere = plain.find((p) => (p.kind === 'like' || p.kind === 'ilike') && p.leadingWildcard);
  if (anywhere) {
    const column = anywhere.column.column;
    return { keys: [`${quoteIdent(column)} gin_trgm_ops`], columns: [column], method: 'gin', extension: 'pg_trgm' };
  }
  const prefix = plain.find((p) => p.kind === 'like' && p.leadingWildcard === false);
  if (prefix) return { keys: [`${quoteIdent(prefix.column.column)} text_pattern_ops`], columns: [prefix.column.column] };
  return undefined;
}

/**
 * `CREATE INDEX CONCURRENTLY ON schema.table (keys)`: no name, so PostgreSQL
 * picks a unique one; CONCURRENTLY, so writes go on while it builds.
 */
export function createIndexSql(schema: string | undefined, table: string, index: IndexKeys): string {
  const using = index.method ? ` USING ${index.method}` : '';
  const create = `CREATE INDEX CONCURRENTLY ON ${qualifiedName(schema, table)}${using} (${index.keys.join(', ')})`;
  return index.extension ? `CREATE EXTENSION IF NOT EXISTS ${index.extension}; ${create}` : create;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
