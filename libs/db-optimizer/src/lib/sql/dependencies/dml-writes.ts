import type { TableRef } from '../../core/query-classification.interface';
import type { WriteEvent } from './cache-dependencies.interface';
import type { ParseNode as Node } from '../parse-node';

/** A table some statement changes, and how. */
export interface DmlWrite {
  ref: TableRef;
  events: WriteEvent[];
}


const DML_EVENTS: Record<string, readonly WriteEvent[]> = {
  InsertStmt: ['INSERT'],
  UpdateStmt: ['UPDATE'],
  DeleteStmt: ['DELETE'],
  MergeStmt: ['INSERT', 'UPDATE', 'DELETE'],
};

/** Events of one data-changing statement node (`InsertStmt` body...), or undefined for other node types. */
export function dmlEvents(type: string, body: Node): WriteEvent[] | undefined {
  const events = DML_EVENTS[type];
  if (!events) return undefined;
  // ON CONFLICT DO UPDATE updates the rows it collides with.
  const conflict = body['onConflictClause'] as Node | undefined;
  if (type === 'InsertStmt' && conflict?.['action'] === 'ONCONFLICT_UPDATE') return ['INSERT', 'UPDATE'];
  return [...events];
}

/**
 * Every table the data-changing statements inside a parse tree change:
 * INSERT/UPDATE/DELETE/MERGE (also in CTEs), TRUNCATE, COPY ... FROM.
 * Pass a statement body to skip the statement itself and find only what is
 * nested in it (data-modifying CTEs), or a wrapped node to include it.
 */
export function dmlWrites(tree: unknown): DmlWrite[] {
  const writes: DmlWrite[] = [];
  collect(tree, writes);
  return writes;
}

/** TableRef of a RangeVar node body (`{ relname, schemaname }`). */
export function tableRefOf(rangeVar: Node | undefined): TableRef | undefined {
  const name = rangeVar?.['relname'];
  if (typeof name !== 'string') return undefined;
  const schema = rangeVar?.['schemaname'];
  return typeof schema === 'string' ? { schema, name } : { name };
}

function collect(value: unknown, writes: DmlWrite[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, writes);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Node;
  for (const key in node) {
    const child = node[key];
    if (child === null || typeof child !== 'object') continue;
    if (!Array.isArray(child)) addWrites(key, child as Node, writes);
    collect(child, writes);
  }
}

function addWrites(type: string, body: Node, writes: DmlWrite[]): void {
  const events = dmlEvents(type, body);
  if (events) {
    push(writes, body['relation'] as Node | undefined, events);
    return;
  }
  if (type === 'TruncateStmt') {
    for (const item of (body['relations'] as Node[] | undefined) ?? []) push(writes, item['RangeVar'] as Node | undefined, ['TRUNCATE']);
    return;
  }
  if (type === 'CopyStmt' && body['is_from'] === true) push(writes, body['relation'] as Node | undefined, ['INSERT']);
}

function push(writes: DmlWrite[], rangeVar: Node | undefined, events: WriteEvent[]): void {
  const ref = tableRefOf(rangeVar);
  if (ref) writes.push({ ref, events });
}
