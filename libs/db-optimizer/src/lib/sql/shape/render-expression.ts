import type { FuncCall, Node, TypeCast } from 'libpg-query';
import { quoteIdent, quoteLiteral } from '../quote';
import { columnNames, constantValue, stringsOf } from './parse-nodes';

/**
 * SQL text of a function call or cast around columns, with the columns
 * unqualified (`lower(o.email)` → `lower(email)`): the expression an
 * expression index needs, `CREATE INDEX ... ((lower(email)))`. Undefined for
 * anything outside that small grammar (aggregates, window calls, parameters,
 * operators, subqueries): no guessed SQL is better than wrong SQL.
 */
export function renderIndexExpression(node: Node): string | undefined {
  if ('ColumnRef' in node) {
    const names = columnNames(node.ColumnRef);
    return names && names.length > 0 ? quoteIdent(names[names.length - 1]) : undefined;
  }
  if ('A_Const' in node) return renderConstant(constantValue(node.A_Const));
  if ('FuncCall' in node) return renderCall(node.FuncCall);
  if ('TypeCast' in node) return renderCast(node.TypeCast);
  return undefined;
}

/** The function's name as written (`lower`, `pg_catalog.date_trunc`), or `cast` for a cast. */
export function wrapperName(node: Node): string {
  if ('FuncCall' in node) return stringsOf(node.FuncCall.funcname).join('.');
  return 'cast';
}

function renderCall(call: FuncCall): string | undefined {
  if (call.agg_star || call.agg_distinct || call.over || call.agg_order || call.agg_filter || call.func_variadic) {
    return undefined;
  }
  const name = stringsOf(call.funcname).map(quoteIdent).join('.');
  const args: string[] = [];
  for (const arg of call.args ?? []) {
    const rendered = renderIndexExpression(arg);
    if (rendered === undefined) return undefined;
    args.push(rendered);
  }
  return name === '' ? undefined : `${name}(${args.join(', ')})`;
}

function renderCast(cast: TypeCast): string | undefined {
  const typeName = cast.typeName;
  if (!cast.arg || !typeName || typeName.typmods || typeName.arrayBounds) return undefined;
  const names = stringsOf(typeName.names);
  // The parser spells built-in types as pg_catalog.int4 and the like; the bare name means the same.
  const type = (names[0] === 'pg_catalog' ? names.slice(1) : names).map(quoteIdent).join('.');
  const arg = renderIndexExpression(cast.arg);
  if (arg === undefined || type === '') return undefined;
  // Only a negative constant needs parentheses: `-1::int` would cast 1, then negate.
  return arg.startsWith('-') ? `(${arg})::${type}` : `${arg}::${type}`;
}

function renderConstant(value: ReturnType<typeof constantValue>): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
