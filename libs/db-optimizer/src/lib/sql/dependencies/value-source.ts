import { assertNever } from '../../core/assert-never';
import type { ParseNode as Node } from '../parse-node';
/**
 * Where the value a key column is compared with comes from: a bind
 * parameter or a literal of the SQL text. Read once per SQL text from the
 * parse tree; turned into values per call by valuesOf().
 */
export type ValueSource =
  /** `$n` (1-based), one value. */
  | { kind: 'param'; index: number }
  /** `= ANY($n)`: each element of the array bound to `$n`. */
  | { kind: 'param-array'; index: number }
  /** A literal as written (`5`, `'abc'`); the column type decides what it means. */
  | { kind: 'const'; value: string };


/**
 * Casts that keep the value as it is. A cast to a type with a length
 * (`::varchar(3)`, `::char`) truncates, and a cast to another type family
 * (`::numeric`) changes which spellings are equal: both make the text prove
 * nothing, so they are not unwrapped.
 */
const TRANSPARENT_CASTS = new Set(['int2', 'int4', 'int8', 'text', 'varchar', 'uuid']);

/** Source of a scalar expression, or undefined when it is not a plain parameter or literal. */
export function scalarSource(expr: unknown): ValueSource | undefined {
  const node = expr as Node | undefined;
  if (!node) return undefined;
  const param = node['ParamRef'] as Node | undefined;
  if (param) return paramSource(param, 'param');
  const constant = node['A_Const'] as Node | undefined;
  if (constant) return constSource(constant);
  const cast = node['TypeCast'] as Node | undefined;
  if (cast && castKind(cast) === 'scalar') return scalarSource(cast['arg']);
  return undefined;
}

/**
 * Sources of the right side of `col = ANY(...)`: an array parameter
 * (`ANY($1)`, `ANY($1::int[])`) or an ARRAY[...] of plain values.
 */
export function arraySources(expr: unknown): ValueSource[] | undefined {
  const node = expr as Node | undefined;
  if (!node) return undefined;
  const param = node['ParamRef'] as Node | undefined;
  if (param) return optionalList(paramSource(param, 'param-array'));
  const cast = node['TypeCast'] as Node | undefined;
  if (cast && castKind(cast) === 'array') return arraySources(cast['arg']);
  const array = node['A_ArrayExpr'] as Node | undefined;
  if (array) return listSources((array['elements'] as unknown[] | undefined) ?? []);
  return undefined;
}

/** Sources of every item of an IN list, or undefined when one of them is not plain. */
export function listSources(items: readonly unknown[]): ValueSource[] | undefined {
  const sources: ValueSource[] = [];
  for (const item of items) {
    const source = scalarSource(item);
    if (!source) return undefined;
    sources.push(source);
  }
  return sources.length > 0 ? sources : undefined;
}

/** Marks a value that cannot name a row: NULL, an object, a missing parameter. */
export const UNUSABLE = Symbol('unusable');

/**
 * The values a source stands for in one call. A parameter array gives each
 * of its elements; anything that cannot name a row gives UNUSABLE.
 */
export function valuesOf(source: ValueSource, params: readonly unknown[]): unknown[] | typeof UNUSABLE {
  switch (source.kind) {
    case 'const':
      return [source.value];
    case 'param':
      return source.index <= params.length ? [params[source.index - 1]] : UNUSABLE;
    case 'param-array': {
      const value = params[source.index - 1];
      return Array.isArray(value) && value.length > 0 ? value : UNUSABLE;
    }
    default:
      return assertNever(source);
  }
}

function paramSource(param: Node, kind: 'param' | 'param-array'): ValueSource | undefined {
  const index = param['number'];
  return typeof index === 'number' && index > 0 ? { kind, index } : undefined;
}

/** libpg-query leaves zero values out: `{ ival: {} }` is 0. NULL, booleans and bit strings never name a key here. */
function constSource(constant: Node): ValueSource | undefined {
  if (constant['isnull'] === true) return undefined;
  const integer = constant['ival'] as Node | undefined;
  if (integer) return { kind: 'const', value: String(integer['ival'] ?? 0) };
  const float = constant['fval'] as Node | undefined;
  if (float) return { kind: 'const', value: String(float['fval'] ?? '0') };
  const text = constant['sval'] as Node | undefined;
  if (text) return { kind: 'const', value: String(text['sval'] ?? '') };
  return undefined;
}

function castKind(cast: Node): 'scalar' | 'array' | undefined {
  const typeName = (cast['typeName'] ?? {}) as Node;
  if (typeName['typmods'] !== undefined || typeName['setof'] === true) return undefined;
  const names = ((typeName['names'] as Node[] | undefined) ?? []).map((part) => (part['String'] as Node | undefined)?.['sval']);
  const type = names[names.length - 1];
  const qualifiedElsewhere = names.length > 1 && names[0] !== 'pg_catalog';
  if (typeof type !== 'string' || qualifiedElsewhere || !TRANSPARENT_CASTS.has(type)) return undefined;
  const bounds = (typeName['arrayBounds'] as unknown[] | undefined) ?? [];
  if (bounds.length === 0) return 'scalar';
  return bounds.length === 1 ? 'array' : undefined;
}

function optionalList(source: ValueSource | undefined): ValueSource[] | undefined {
  return source ? [source] : undefined;
}
