import { loadSqlParser, parseSql } from '../sql/parser';
import { collectStatementFacts } from '../sql/statement-facts';
import { IMMUTABLE_FUNCTIONS_SQL, VIEW_SQL } from './catalog-sql';
import type { RelationDirectory, RelationInfo } from './relation-directory';
import type { CatalogQuery } from './catalog-query';

/** Relations whose rows are plain stored data: reads of them depend on them alone. */
const STORED_KINDS = new Set(['r', 'p', 'm']);

/**
 * Tables a read of this relation depends on, or undefined when such reads
 * must not be cached: row-level security (the result depends on who
 * reads), foreign tables and sequences (they change outside any statement
 * seen here), views whose definition is not deterministic.
 * A view depends on itself (its definition may be replaced) and, through
 * `baseTargets`, on everything its base relations depend on.
 */
export async function loadReadTargets(
  query: CatalogQuery,
  relation: RelationInfo,
  relations: RelationDirectory,
  baseTargets: (base: RelationInfo) => Promise<string[] | undefined>,
): Promise<string[] | undefined> {
  if (relation.rowSecurity || relation.foreignMember) return undefined;
  if (STORED_KINDS.has(relation.kind)) return [relation.name];
  if (relation.kind !== 'v') return undefined;
  const { rows } = await query(VIEW_SQL, [relation.oid]);
  const view = rows[0] as { definition: string | null; bases: string[] } | undefined;
  if (!view?.definition || !(await isDeterministic(query, view.definition))) return undefined;
  const targets = new Set([relation.name]);
  for (const oid of view.bases) {
    const base = await relations.ofOid(oid);
    const baseTables = base && (await baseTargets(base));
    if (!baseTables) return undefined;
    for (const table of baseTables) targets.add(table);
  }
  return [...targets];
}

/**
 * The classifier's own test on the view's query (no volatile or session
 * functions it knows, no catalog or temporary tables), and every function
 * it calls IMMUTABLE: a view over `now()` changes with no write at all.
 */
async function isDeterministic(query: CatalogQuery, definition: string): Promise<boolean> {
  await loadSqlParser();
  let statement: unknown;
  try {
    statement = parseSql(definition).stmts?.[0]?.stmt;
  } catch {
    return false;
  }
  const facts = collectStatementFacts(statement);
  if (facts.nonDeterministic || facts.tempTable || facts.catalogTable || facts.tableSample || facts.rowLock || facts.writeFunction) return false;
  const names = [...new Set(facts.functions.map((name) => name.split('.').pop() ?? name))];
  if (names.length === 0) return true;
  const { rows } = await query(IMMUTABLE_FUNCTIONS_SQL, [names]);
  const row = rows[0] as { found: number; immutable: boolean } | undefined;
  return row !== undefined && row.found === names.length && row.immutable;
}
