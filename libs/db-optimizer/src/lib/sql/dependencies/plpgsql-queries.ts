import type { ParseNode as Node } from '../parse-node';
/** The SQL a PL/pgSQL function runs, as found in libpg-query's `parsePlPgSQLSync` tree. */
export interface PlpgsqlQueries {
  /** Whole statements (INSERT, UPDATE, PERFORM's SELECT, RETURN QUERY...). */
  statements: string[];
  /** Expressions (conditions, assignments' right sides, defaults): they run only through the functions they call. */
  expressions: string[];
  /** The function builds SQL at run time (EXECUTE, OPEN ... FOR EXECUTE, FOR ... IN EXECUTE): what it does is unknowable. */
  dynamic: boolean;
}


/** PL/pgSQL statement nodes that run a string as SQL. */
const DYNAMIC_STATEMENTS = new Set(['PLpgSQL_stmt_dynexecute', 'PLpgSQL_stmt_dynfors']);

// PLpgSQL_expr.parseMode: 0 is a whole statement; 3 to 5 are assignments (`x := expr`, `rec.f = expr`).
const STATEMENT_MODE = 0;
const FIRST_ASSIGN_MODE = 3;
const LAST_ASSIGN_MODE = 5;

/**
 * Walks the whole tree (blocks, branches, loops, handlers, declarations with
 * defaults) and sorts every embedded query into statements and expressions.
 */
export function plpgsqlQueries(tree: unknown): PlpgsqlQueries {
  const found: PlpgsqlQueries = { statements: [], expressions: [], dynamic: false };
  walk(tree, found);
  return found;
}

function walk(value: unknown, found: PlpgsqlQueries): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Node;
  for (const key in node) {
    const child = node[key];
    if (DYNAMIC_STATEMENTS.has(key) || key === 'dynquery') found.dynamic = true;
    if (key === 'PLpgSQL_expr') {
      addExpression(child as Node, found);
      continue;
    }
    walk(child, found);
  }
}

function addExpression(expr: Node, found: PlpgsqlQueries): void {
  const query = expr['query'];
  if (typeof query !== 'string') return;
  const mode = typeof expr['parseMode'] === 'number' ? expr['parseMode'] : STATEMENT_MODE;
  if (mode === STATEMENT_MODE) {
    found.statements.push(query);
    return;
  }
  found.expressions.push(mode >= FIRST_ASSIGN_MODE && mode <= LAST_ASSIGN_MODE ? withoutAssignTarget(query) : query);
}

/** `n := expr` and `NEW.total = expr` keep only the expression; a target never holds `=`. */
function withoutAssignTarget(query: string): string {
  const match = /^[^=]*?:?=/.exec(query);
  return match ? query.slice(match[0].length) : query;
}
