import type { A_Const, ColumnRef, Node } from 'libpg-query';

/**
 * Small readers over libpg-query's JSON tree. Nodes come wrapped
 * (`{ ColumnRef: {...} }`); protobuf leaves zero values out, so
 * `{ ival: {} }` is the integer 0.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `sval`s of a list of `String` nodes (`name`, `funcname`, `fields`...). */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  const strings: string[] = [];
  for (const node of nodes ?? []) {
    if ('String' in node) strings.push(node.String.sval ?? '');
  }
  return strings;
}

/** The name parts of a column reference, or undefined for `*` / `t.*`. */
export function columnNames(ref: ColumnRef): string[] | undefined {
  const fields = ref.fields ?? [];
  if (fields.some((field) => 'A_Star' in field)) return undefined;
  return stringsOf(fields);
}

/** The last operator name of an expression (`=`, `~~`...), schema-qualified operators included. */
export function operatorOf(names: readonly Node[] | undefined): string {
  const strings = stringsOf(names);
  return strings[strings.length - 1] ?? '';
}

/** Whether a node (deeply) holds a node with one of the given wrapper keys. */
export function contains(value: unknown, keys: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((item) => contains(item, keys));
  if (!isRecord(value)) return false;
  for (const key in value) {
    if (keys.has(key) || contains(value[key], keys)) return true;
  }
  return false;
}

const COLUMN_KEYS = new Set(['ColumnRef']);
const NOT_A_VALUE_KEYS = new Set(['ColumnRef', 'SubLink']);

/** True when the node reads no column and runs no subquery: a constant, a parameter, or an expression of them. */
export function isValue(node: Node | undefined): boolean {
  return node !== undefined && !contains(node, NOT_A_VALUE_KEYS);
}

/** Every column reference below a node, in text order. */
export function columnRefsIn(value: unknown, found: ColumnRef[] = []): ColumnRef[] {
  if (Array.isArray(value)) {
    for (const item of value) columnRefsIn(item, found);
    return found;
  }
  if (!isRecord(value)) return found;
  for (const key in value) {
    if (key === 'ColumnRef') found.push(value[key] as ColumnRef);
    else columnRefsIn(value[key], found);
  }
  return found;
}

export function holdsColumn(value: unknown): boolean {
  return contains(value, COLUMN_KEYS);
}

/**
 * The value of a constant, a parameter (from `params`, 1-based `$n`) or a
 * cast of either; undefined when unknown. Used to read OFFSET and LIKE
 * patterns: the values are inspected, never copied into results.
 */
export function valueOf(node: Node | undefined, params: readonly unknown[]): unknown {
  if (node === undefined) return undefined;
  if ('TypeCast' in node) return valueOf(node.TypeCast.arg, params);
  if ('ParamRef' in node) return params[(node.ParamRef.number ?? 0) - 1];
  if ('A_Const' in node) return constantValue(node.A_Const);
  return undefined;
}

export function constantValue(constant: A_Const): string | number | boolean | null | undefined {
  if (constant.isnull) return null;
  if (constant.ival !== undefined) return constant.ival.ival ?? 0;
  if (constant.fval !== undefined) return Number(constant.fval.fval ?? 0);
  if (constant.sval !== undefined) return constant.sval.sval ?? '';
  if (constant.boolval !== undefined) return constant.boolval.boolval ?? false;
  return undefined;
}
