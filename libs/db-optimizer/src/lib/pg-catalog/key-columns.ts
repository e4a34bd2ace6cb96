import type { KeyColumn, KeyType } from '../sql/dependencies/cache-dependencies.interface';
import { PRIMARY_KEY_SQL } from './catalog-sql';
import type { CatalogQuery } from './catalog-query';

interface KeyRow {
  name: string;
  type: string;
  type_schema: string;
  deterministic: boolean;
  generated: boolean;
}

/** Built-in types whose spellings normaliseKeyValue() knows how to compare. */
const KEY_TYPES: Record<string, KeyType> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  text: 'text',
  varchar: 'text',
  bpchar: 'char',
  uuid: 'uuid',
};

/**
 * Primary-key columns of a relation in key order, or undefined without a
 * primary key. A text key under a nondeterministic (e.g. case-insensitive)
 * collation compares unlike its spelling, and a generated key column moves
 * with other columns: both count as `other`, which keeps them table-level.
 */
export async function loadKeyColumns(query: CatalogQuery, oid: string): Promise<KeyColumn[] | undefined> {
  const { rows } = await query(PRIMARY_KEY_SQL, [oid]);
  const columns = (rows as KeyRow[]).map((row) => ({ name: row.name, type: keyType(row) }));
  return columns.length > 0 ? columns : undefined;
}

function keyType(row: KeyRow): KeyType {
  // A generated key changes when the columns it is computed from do: no statement text names it.
  if (row.generated || row.type_schema !== 'pg_catalog') return 'other';
  const type = KEY_TYPES[row.type] ?? 'other';
  if ((type === 'text' || type === 'char') && !row.deterministic) return 'other';
  return type;
}
