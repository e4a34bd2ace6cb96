// Where, in libpg-query's tree, statements name what they write and how they lock.

/**
 * Fields holding the relation a statement writes (DML target, DDL subject),
 * per statement type. Every other relation in the statement is read.
 * CopyStmt and DropStmt need more than a field name and are handled apart.
 */
export const WRITE_TARGETS: Record<string, readonly string[]> = {
  InsertStmt: ['relation'],
  UpdateStmt: ['relation'],
  DeleteStmt: ['relation'],
  MergeStmt: ['relation'],
  TruncateStmt: ['relations'],
  AlterTableStmt: ['relation'],
  CreateStmt: ['relation'],
  CreateTableAsStmt: ['into'],
  SelectStmt: ['intoClause'],
  ViewStmt: ['view'],
  RefreshMatViewStmt: ['relation'],
  IndexStmt: ['relation'],
  RenameStmt: ['relation'],
  AlterObjectSchemaStmt: ['relation'],
  CreateTrigStmt: ['relation'],
  RuleStmt: ['relation'],
  CreatePolicyStmt: ['table'],
  AlterPolicyStmt: ['table'],
  ClusterStmt: ['relation'],
  ReindexStmt: ['relation'],
  CreateSeqStmt: ['sequence'],
  AlterSeqStmt: ['sequence'],
  GrantStmt: ['objects'],
};

/** Data-modifying statements, by node type; in a CTE they make the whole statement a write. */
export const DML_STATEMENTS: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

/** DROP kinds whose objects are relations a cache may hold rows of. */
export const DROPPED_RELATIONS: ReadonlySet<string> = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SEQUENCE',
]);

/** LockingClause.strength as written in SQL, for the `reason`. */
export const LOCK_STRENGTHS: Record<string, string> = {
  LCS_FORUPDATE: 'FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
};
