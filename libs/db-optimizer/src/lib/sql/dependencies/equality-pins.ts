import { arraySources, listSources, scalarSource } from './value-source';
import type { ValueSource } from './value-source';
import type { ParseNode as Node } from '../parse-node';

/**
 * Columns a WHERE clause pins to known values, each with the values it may
 * take (one for `=`, several for `IN (...)` and `= ANY(...)`). Only
 * conjuncts at the top of the clause count: whatever else is ANDed only
 * narrows the rows further, while anything under OR or NOT could widen them.
 */
export type EqualityPins = ReadonlyMap<string, readonly ValueSource[]>;

/** How the statement names the one table whose columns count. */
export interface PinTarget {
  /** The relation name as written. */
  name: string;
  /** The schema as written, if any. */
  schema?: string;
  /** The alias, which then is the only valid qualifier. */
  alias?: string;
}


/** The pins of a WHERE clause over the target table; empty when there is no clause. */
export function equalityPins(where: unknown, target: PinTarget): EqualityPins {
  const pins = new Map<string, ValueSource[]>();
  const conflicting = new Set<string>();
  for (const conjunct of conjuncts(where)) {
    const pin = pinOf(conjunct, target);
    if (!pin) continue;
    // `id = 1 AND id = 2` or `id = $1 AND id IN (...)`: rather than intersect, give up on that column.
    if (pins.has(pin.column) || conflicting.has(pin.column)) {
      pins.delete(pin.column);
      conflicting.add(pin.column);
      continue;
    }
    pins.set(pin.column, pin.sources);
  }
  return pins;
}

function conjuncts(where: unknown): unknown[] {
  const bool = (where as Node | undefined)?.['BoolExpr'] as Node | undefined;
  if (bool?.['boolop'] === 'AND_EXPR') return ((bool['args'] as unknown[] | undefined) ?? []).flatMap(conjuncts);
  return where === undefined ? [] : [where];
}

function pinOf(conjunct: unknown, target: PinTarget): { column: string; sources: ValueSource[] } | undefined {
  const expr = (conjunct as Node)['A_Expr'] as Node | undefined;
  if (!expr || !isEqualityOperator(expr['name'])) return undefined;
  const left = expr['lexpr'];
  const right = expr['rexpr'];
  switch (expr['kind']) {
    case 'AEXPR_OP':
      return sided(left, right, target, single) ?? sided(right, left, target, single);
    case 'AEXPR_IN':
      return sided(left, right, target, (value) => listSources(((value as Node)['List'] as Node | undefined)?.['items'] as unknown[] ?? []));
    case 'AEXPR_OP_ANY':
      return sided(left, right, target, arraySources);
    default:
      return undefined;
  }
}

function single(value: unknown): ValueSource[] | undefined {
  const source = scalarSource(value);
  return source ? [source] : undefined;
}

function sided(
  columnSide: unknown,
  valueSide: unknown,
  target: PinTarget,
  sourcesOf: (value: unknown) => ValueSource[] | undefined,
): { column: string; sources: ValueSource[] } | undefined {
  const column = targetColumn(columnSide, target);
  if (column === undefined) return undefined;
  const sources = sourcesOf(valueSide);
  return sources ? { column, sources } : undefined;
}

/** Plain `=` (or `OPERATOR(pg_catalog.=)`): any other operator proves nothing about equality of keys. */
function isEqualityOperator(name: unknown): boolean {
  const parts = ((name as Node[] | undefined) ?? []).map((part) => (part['String'] as Node | undefined)?.['sval']);
  return (parts.length === 1 && parts[0] === '=') || (parts.length === 2 && parts[0] === 'pg_catalog' && parts[1] === '=');
}

/** The column name when the expression is a column of the target table. */
function targetColumn(expr: unknown, target: PinTarget): string | undefined {
  const ref = (expr as Node | undefined)?.['ColumnRef'] as Node | undefined;
  if (!ref) return undefined;
  const fields = ((ref['fields'] as Node[] | undefined) ?? []).map((field) => (field['String'] as Node | undefined)?.['sval']);
  if (fields.some((field) => typeof field !== 'string')) return undefined;
  const parts = fields as string[];
  const column = parts[parts.length - 1];
  if (parts.length === 1) return column;
  if (parts.length === 2) return parts[0] === (target.alias ?? target.name) ? column : undefined;
  if (parts.length === 3 && target.alias === undefined && target.schema !== undefined) {
    return parts[0] === target.schema && parts[1] === target.name ? column : undefined;
  }
  return undefined;
}
