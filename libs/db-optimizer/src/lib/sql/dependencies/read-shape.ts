import type { QueryClassification, TableRef } from '../../core/query-classification.interface';
import { tableRefOf } from './dml-writes';
import { equalityPins } from './equality-pins';
import type { EqualityPins } from './equality-pins';
import type { ParseNode as Node } from '../parse-node';

/** What the text of a cacheable read tells about its dependencies, before any catalog look-up. */
export interface ReadShape {
  /** Tables read, as written. */
  tables: readonly TableRef[];
  /** Set when the result can only depend on the rows of one table that these pins name. */
  rowTarget?: { ref: TableRef; pins: EqualityPins };
}


/**
 * The read shape of a classification, or undefined when its result must not
 * be cached at all (not a cacheable single SELECT).
 *
 * Row-level only for the plainest form: one SELECT, no set operation, no
 * WITH, one table in FROM (no join, subquery or function), no subquery
 * anywhere, and some column pinned by `=`/`IN`/`= ANY` at the top of WHERE.
 * Anything else depends on its tables as a whole.
 */
export function readShapeOf(classification: QueryClassification): ReadShape | undefined {
  if (!classification.cacheable || classification.statementCount !== 1) return undefined;
  const select = singleSelect(classification.parseTree);
  if (!select) return undefined;
  const tables = classification.tablesRead;
  const rowTarget = tables.length === 1 ? rowTargetOf(select) : undefined;
  return rowTarget ? { tables, rowTarget } : { tables };
}

function singleSelect(tree: unknown): Node | undefined {
  const stmts = ((tree as Node | undefined)?.['stmts'] as Node[] | undefined) ?? [];
  if (stmts.length !== 1) return undefined;
  return ((stmts[0]['stmt'] as Node | undefined)?.['SelectStmt'] as Node | undefined) ?? undefined;
}

function rowTargetOf(select: Node): ReadShape['rowTarget'] {
  if (select['op'] !== 'SETOP_NONE' || select['withClause'] || select['intoClause'] || select['lockingClause']) return undefined;
  const from = (select['fromClause'] as Node[] | undefined) ?? [];
  if (from.length !== 1) return undefined;
  const rangeVar = from[0]['RangeVar'] as Node | undefined;
  const ref = tableRefOf(rangeVar);
  if (!rangeVar || !ref || containsSubLink(select)) return undefined;
  const alias = (rangeVar['alias'] as Node | undefined)?.['aliasname'];
  const pins = equalityPins(select['whereClause'], { ...ref, alias: typeof alias === 'string' ? alias : undefined });
  return pins.size > 0 ? { ref, pins } : undefined;
}

/** A subquery anywhere (target list, WHERE, HAVING...) may read other rows or tables. */
function containsSubLink(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSubLink);
  if (value === null || typeof value !== 'object') return false;
  for (const key in value as Node) {
    if (key === 'SubLink') return true;
    if (containsSubLink((value as Node)[key])) return true;
  }
  return false;
}
