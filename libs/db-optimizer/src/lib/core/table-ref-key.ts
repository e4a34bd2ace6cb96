import type { TableRef } from './query-classification.interface';

/**
 * A table as a statement names it, as one string for a map key: its schema (empty when
 * unqualified, where the search_path decides) and its name, joined by NUL, which no name holds.
 */
export function tableRefKey(ref: TableRef): string {
  return `${ref.schema ?? ''}\u0000${ref.name}`;
}
