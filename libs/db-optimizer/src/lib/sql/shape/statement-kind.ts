import type { Node } from 'libpg-query';
import type { StatementKind } from './statement-shape.interface';

const KINDS: Readonly<Record<string, StatementKind>> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** The kind of a parsed statement when EXPLAIN accepts it, else undefined. */
export function explainableKind(statement: Node | undefined): StatementKind | undefined {
  const key = statement ? Object.keys(statement)[0] : undefined;
  return key === undefined ? undefined : KINDS[key];
}
