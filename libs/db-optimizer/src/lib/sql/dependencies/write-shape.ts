import type { TableRef } from '../../core/query-classification.interface';
import { collectStatementFacts } from '../statement-facts';
import type { WriteEvent } from './cache-dependencies.interface';
import { dmlEvents, dmlWrites, tableRefOf } from './dml-writes';
import type { DmlWrite } from './dml-writes';
import { equalityPins } from './equality-pins';
import type { EqualityPins } from './equality-pins';
import { scalarSource } from './value-source';
import type { ValueSource } from './value-source';
import type { ParseNode as Node } from '../parse-node';

/** How the text of a data-changing statement names the rows it changes. */
export type RowNaming =
  /** UPDATE/DELETE: the WHERE pins, and the columns SET assigns. */
  | { kind: 'pins'; pins: EqualityPins; assigned: ReadonlySet<string> }
  /** INSERT ... VALUES: each row's given columns, and its ON CONFLICT clause. */
  | { kind: 'values'; rows: EqualityPins[]; conflict?: ConflictShape };

export interface ConflictShape {
  action: 'nothing' | 'update';
  /** Columns named by the conflict target; undefined for ON CONSTRAINT or none. */
  columns?: ReadonlySet<string>;
  /** Columns DO UPDATE SET assigns. */
  assigned: ReadonlySet<string>;
}

/** A table a statement changes directly, with how it names the rows when it does. */
export interface WriteTarget extends DmlWrite {
  rows?: RowNaming;
}

/** What the text of a statement tells about what it changes, before any catalog look-up. */
export type WriteShape =
  | { kind: 'none' }
  | { kind: 'flush'; reason: string }
  /** DDL on known tables: each of them as a whole. */
  | { kind: 'ddl'; tables: TableRef[] }
  /** Data changes: direct targets, tables changed by nested statements (CTEs), functions called. */
  | { kind: 'dml'; targets: WriteTarget[]; nested: DmlWrite[]; functions: string[] };


/** Statements that change no table data (nor what cached reads return). */
const NO_CHANGE = new Set([
  'TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'ListenStmt', 'UnlistenStmt', 'NotifyStmt',
  'PrepareStmt', 'DeallocateStmt', 'FetchStmt', 'ClosePortalStmt', 'DiscardStmt', 'LockStmt',
  'CheckPointStmt', 'VacuumStmt', 'ConstraintsSetStmt',
]);

/** DDL whose effect on cached reads is limited to the tables it names. */
const TABLE_DDL = new Set([
  'CreateStmt', 'AlterTableStmt', 'IndexStmt', 'RenameStmt', 'AlterObjectSchemaStmt', 'CreateTrigStmt',
  'RuleStmt', 'ClusterStmt', 'ReindexStmt', 'RefreshMatViewStmt', 'ViewStmt', 'CreateTableAsStmt',
  'DropStmt', 'CreateSeqStmt', 'AlterSeqStmt',
]);

/** ALTER TABLE subcommands that move tables in or out of an inheritance tree, which renames them for the cache. */
const TREE_CHANGES = new Set(['AT_AttachPartition', 'AT_DetachPartition', 'AT_DetachPartitionFinalize', 'AT_AddInherit', 'AT_DropInherit']);

/** The write shape of one parsed statement (`{ UpdateStmt: {...} }`). */
export function writeShapeOf(statement: Node): WriteShape {
  const type = Object.keys(statement)[0] ?? '';
  const body = (statement[type] ?? {}) as Node;
  if (NO_CHANGE.has(type)) return { kind: 'none' };
  switch (type) {
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return dml(statement, [dmlTarget(type, body)]);
    case 'TruncateStmt':
      return dml(statement, dmlWrites(statement));
    case 'CopyStmt':
      return body['is_from'] === true ? dml(statement, dmlWrites(statement)) : dml(statement, []);
    case 'SelectStmt':
      return body['intoClause'] ? ddl(statement) : dml(statement, []);
    case 'ExplainStmt':
    case 'DeclareCursorStmt':
      // EXPLAIN ANALYZE runs its statement; a cursor runs its query as it is fetched.
      return writeShapeOf((body['query'] ?? {}) as Node);
    case 'CallStmt':
      return dml(statement, []);
  }
  if (!TABLE_DDL.has(type)) return { kind: 'flush', reason: `${type} may change anything cached` };
  if (type === 'AlterTableStmt' && changesTree(body)) return { kind: 'flush', reason: 'ALTER TABLE changes an inheritance tree' };
  return ddl(statement);
}

function dml(statement: Node, targets: WriteTarget[]): WriteShape {
  const body = statement[Object.keys(statement)[0]] as Node;
  return { kind: 'dml', targets, nested: dmlWrites(body), functions: collectStatementFacts(statement).functions };
}

/**
 * DDL: the tables it changes. Tables it only reads (a view's sources, a
 * referenced table) keep their rows; moving a table in or out of a tree,
 * which does change another table's rows, is flushed before this.
 */
function ddl(statement: Node): WriteShape {
  const tables = collectStatementFacts(statement).tablesWritten;
  if (tables.length === 0) return { kind: 'flush', reason: `${Object.keys(statement)[0]} names no table` };
  return { kind: 'ddl', tables };
}

function dmlTarget(type: string, body: Node): WriteTarget {
  const rangeVar = body['relation'] as Node;
  const ref = tableRefOf(rangeVar) ?? { name: '' };
  const events = dmlEvents(type, body) ?? [];
  const alias = (rangeVar['alias'] as Node | undefined)?.['aliasname'];
  const pinTarget = { ...ref, alias: typeof alias === 'string' ? alias : undefined };
  switch (type) {
    case 'UpdateStmt':
      return { ref, events, rows: { kind: 'pins', pins: equalityPins(body['whereClause'], pinTarget), assigned: assignedColumns(body['targetList']) } };
    case 'DeleteStmt':
      return { ref, events, rows: { kind: 'pins', pins: equalityPins(body['whereClause'], pinTarget), assigned: new Set() } };
    case 'InsertStmt':
      return { ref, events, rows: insertedRows(body) };
    default:
      return { ref, events };
  }
}

/** Rows of INSERT ... VALUES with a column list; undefined for INSERT ... SELECT, DEFAULT VALUES or no column list. */
function insertedRows(insert: Node): RowNaming | undefined {
  const columns = ((insert['cols'] as Node[] | undefined) ?? []).map((col) => (col['ResTarget'] as Node)['name'] as string);
  const select = (insert['selectStmt'] as Node | undefined)?.['SelectStmt'] as Node | undefined;
  const values = (select?.['valuesLists'] as Node[] | undefined) ?? [];
  if (columns.length === 0 || values.length === 0 || select?.['fromClause'] || select?.['withClause']) return undefined;
  // OVERRIDING USER VALUE discards the given identity values for generated ones.
  if (insert['override'] === 'OVERRIDING_USER_VALUE') return undefined;
  const rows = values.map((list) => rowPins(columns, ((list['List'] as Node | undefined)?.['items'] as unknown[]) ?? []));
  const conflict = conflictShape(insert['onConflictClause'] as Node | undefined);
  return conflict ? { kind: 'values', rows, conflict } : { kind: 'values', rows };
}

/** The plain values of one VALUES row by column; DEFAULT and expressions are left out (unknown). */
function rowPins(columns: string[], items: unknown[]): EqualityPins {
  const pins = new Map<string, ValueSource[]>();
  columns.forEach((column, index) => {
    const source = scalarSource(items[index]);
    if (source) pins.set(column, [source]);
  });
  return pins;
}

function conflictShape(clause: Node | undefined): ConflictShape | undefined {
  if (!clause) return undefined;
  const infer = clause['infer'] as Node | undefined;
  const elems = (infer?.['indexElems'] as Node[] | undefined) ?? [];
  const names = elems.map((elem) => (elem['IndexElem'] as Node | undefined)?.['name']).filter((name): name is string => typeof name === 'string');
  const action = clause['action'] === 'ONCONFLICT_UPDATE' ? 'update' : 'nothing';
  const assigned = assignedColumns(clause['targetList']);
  return names.length > 0 ? { action, columns: new Set(names), assigned } : { action, assigned };
}

function assignedColumns(targetList: unknown): ReadonlySet<string> {
  const names = ((targetList as Node[] | undefined) ?? []).map((target) => (target['ResTarget'] as Node | undefined)?.['name']);
  return new Set(names.filter((name): name is string => typeof name === 'string'));
}

function changesTree(alter: Node): boolean {
  const cmds = (alter['cmds'] as Node[] | undefined) ?? [];
  return cmds.some((cmd) => TREE_CHANGES.has(String((cmd['AlterTableCmd'] as Node | undefined)?.['subtype'])));
}
