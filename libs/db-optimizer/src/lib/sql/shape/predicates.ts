import type { A_Expr, ColumnRef, Node } from 'libpg-query';
import { columnNames, columnRefsIn, isValue, operatorOf, valueOf } from './parse-nodes';
import { renderIndexExpression, wrapperName } from './render-expression';
import type { ColumnResolver } from './column-resolver';
import type { Predicate, PredicateKind } from './statement-shape.interface';

const OPERATOR_KINDS: Readonly<Record<string, PredicateKind>> = {
  '=': 'equality',
  '<': 'range',
  '>': 'range',
  '<=': 'range',
  '>=': 'range',
  '~~': 'like',
  '~~*': 'ilike',
};

/**
 * The conditions of a WHERE / ON / plan filter, one per column they test.
 * Walks AND, OR and NOT; a condition under OR or NOT is kept but marked
 * non-conjunctive (it cannot drive an index on its own). Subqueries are left
 * to their own block.
 */
export function collectPredicates(
  expression: Node | undefined,
  resolve: ColumnResolver,
  params: readonly unknown[],
  found: Predicate[] = [],
  conjunctive = true,
): Predicate[] {
  if (expression === undefined) return found;
  if ('BoolExpr' in expression) {
    const stillConjunctive = conjunctive && expression.BoolExpr.boolop === 'AND_EXPR';
    for (const arg of expression.BoolExpr.args ?? []) collectPredicates(arg, resolve, params, found, stillConjunctive);
  } else if ('A_Expr' in expression) {
    found.push(...fromOperator(expression.A_Expr, resolve, params, conjunctive));
  } else if ('NullTest' in expression) {
    const column = bareColumn(expression.NullTest.arg);
    if (column) found.push({ kind: 'null', column: resolve(column), conjunctive });
  } else if ('BooleanTest' in expression || 'ColumnRef' in expression) {
    // `WHERE active` or `WHERE active IS TRUE`: an equality on a boolean column.
    const column = bareColumn('BooleanTest' in expression ? expression.BooleanTest.arg : expression);
    if (column) found.push({ kind: 'equality', column: resolve(column), conjunctive });
  } else if ('SubLink' in expression && expression.SubLink.subLinkType === 'ANY_SUBLINK') {
    // `col IN (SELECT ...)`: the column is matched against a set, as with IN (...).
    const column = bareColumn(expression.SubLink.testexpr);
    if (column) found.push({ kind: 'in', column: resolve(column), conjunctive });
  }
  return found;
}

function fromOperator(expr: A_Expr, resolve: ColumnResolver, params: readonly unknown[], conjunctive: boolean): Predicate[] {
  const operator = operatorOf(expr.name);
  const kind = kindOf(expr, operator);
  if (kind === undefined) return [];
  const left = bareColumn(expr.lexpr);
  const right = bareColumn(expr.rexpr);
  if (left && right) {
    const [a, b] = [resolve(left), resolve(right)];
    return [
      { kind, column: a, joinedTo: b, conjunctive },
      { kind, column: b, joinedTo: a, conjunctive },
    ];
  }
  if (left && isValue(expr.rexpr)) return [withPattern({ kind, column: resolve(left), conjunctive }, expr, params)];
  if (right && isValue(expr.lexpr)) return [{ kind, column: resolve(right), conjunctive }];
  const wrapped = wrappedColumn(expr.lexpr) ?? (isValue(expr.lexpr) ? wrappedColumn(expr.rexpr) : undefined);
  const otherSide = wrapped?.node === expr.lexpr ? expr.rexpr : expr.lexpr;
  if (wrapped && isValue(otherSide)) {
    const predicate: Predicate = { kind, column: resolve(wrapped.column), conjunctive, wrapped: wrapped.wrapper };
    return [withPattern(predicate, expr, params)];
  }
  return [];
}

function kindOf(expr: A_Expr, operator: string): PredicateKind | undefined {
  switch (expr.kind) {
    case 'AEXPR_OP':
      return OPERATOR_KINDS[operator] ?? 'other';
    case 'AEXPR_OP_ANY':
    case 'AEXPR_IN':
      return operator === '=' ? 'in' : 'other';
    case 'AEXPR_LIKE':
      return operator === '~~' ? 'like' : 'other';
    case 'AEXPR_ILIKE':
      return operator === '~~*' ? 'ilike' : 'other';
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
      return 'range';
    default:
      return undefined;
  }
}

/** Notes whether a LIKE pattern, when known, starts with a wildcard. The pattern itself is not kept. */
function withPattern(predicate: Predicate, expr: A_Expr, params: readonly unknown[]): Predicate {
  if (predicate.kind !== 'like' && predicate.kind !== 'ilike') return predicate;
  const pattern = valueOf(expr.rexpr, params);
  if (typeof pattern !== 'string') return predicate;
  return { ...predicate, leadingWildcard: pattern.startsWith('%') || pattern.startsWith('_') };
}

function bareColumn(node: Node | undefined): string[] | undefined {
  if (node === undefined || !('ColumnRef' in node)) return undefined;
  return columnNames(node.ColumnRef);
}

interface WrappedColumn {
  node: Node;
  column: string[];
  wrapper: { function: string; sql?: string };
}

/** A function call or cast over exactly one column (`lower(email)`, `created_at::date`). */
function wrappedColumn(node: Node | undefined): WrappedColumn | undefined {
  if (node === undefined || !('FuncCall' in node || 'TypeCast' in node)) return undefined;
  const refs = columnRefsIn(node).map((ref: ColumnRef) => columnNames(ref));
  const distinct = new Set(refs.map((names) => names?.join('.')));
  if (refs.length === 0 || distinct.size !== 1 || refs[0] === undefined) return undefined;
  return { node, column: refs[0], wrapper: { function: wrapperName(node), sql: renderIndexExpression(node) } };
}
