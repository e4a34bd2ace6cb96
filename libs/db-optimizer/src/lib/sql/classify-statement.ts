import { ANALYTICAL_THRESHOLD, analyticalScore } from './analytical-score';
import type { QueryClassification } from '../core/query-classification.interface';
import { collectStatementFacts } from './statement-facts';
import type { StatementFacts } from './statement-facts';
import type { ParseNode as Node } from './parse-node';

/** The part of a classification that one statement decides; the text-level fields come from the classifier. */
export type StatementVerdict = Pick<
  QueryClassification,
  | 'queryType'
  | 'target'
  | 'reason'
  | 'tablesRead'
  | 'tablesWritten'
  | 'functions'
  | 'operators'
  | 'castTypes'
  | 'cacheable'
  | 'sessionState'
  | 'transactionControl'
  | 'functionDdl'
  | 'opaqueCode'
>;

/** DDL that changes what a function, operator or cast is (its volatility included). */
const FUNCTION_DDL = new Set(['CreateFunctionStmt', 'AlterFunctionStmt', 'CreateCastStmt', 'CreateExtensionStmt', 'AlterExtensionStmt']);
const FUNCTION_OBJECTS = new Set(['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_OPERATOR', 'OBJECT_CAST', 'OBJECT_EXTENSION', 'OBJECT_AGGREGATE']);

/** `DECLARE ... CURSOR` option bit of WITH HOLD (CURSOR_OPT_HOLD): such a cursor outlives the transaction. */
const CURSOR_OPT_HOLD = 0x20;


/** Statements that leave state on the connection, so the client must stay pinned to the session. */
const SESSION_STATEMENTS = new Set([
  'PrepareStmt',
  'DeallocateStmt',
  'ListenStmt',
  'UnlistenStmt',
  'DiscardStmt',
  'LoadStmt',
]);

const STATEMENT_LABELS: Record<string, string> = {
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  DoStmt: 'DO',
  DeclareCursorStmt: 'DECLARE CURSOR',
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  ViewStmt: 'CREATE VIEW',
  ExplainStmt: 'EXPLAIN',
  ClosePortalStmt: 'CLOSE',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  SelectStmt: 'SELECT',
};

/**
 * Decides where one parsed statement (`{ SelectStmt: {...} }`, an element of
 * `ParseResult.stmts[].stmt`) may run. Only a SELECT that provably neither
 * writes, locks nor keeps session state leaves the primary.
 */
export function classifyStatement(statement: Node): StatementVerdict {
  const type = Object.keys(statement)[0] ?? '';
  const body = (statement[type] ?? {}) as Node;
  if (type === 'ExplainStmt') return classifyExplain(body);
  const facts = collectStatementFacts(statement);
  if (type === 'SelectStmt') return classifySelect(facts, body);
  if (type === 'TransactionStmt') {
    const verdict = onPrimary(facts, `transaction control (${transactionLabel(body)})`, type, body);
    return { ...verdict, queryType: 'TRANSACTIONAL', sessionState: false, transactionControl: true };
  }
  return {
    ...onPrimary(facts, `${statementLabel(type, body)} is not a SELECT`, type, body),
    sessionState: isSessionStatement(type, body) || leavesSessionState(facts, type, body),
    functionDdl: isFunctionDdl(type, body),
    opaqueCode: type === 'DoStmt' || type === 'CallStmt',
  };
}

function classifySelect(facts: StatementFacts, body: Node): StatementVerdict {
  const mustWrite =
    (facts.selectInto && 'SELECT INTO creates a table') ||
    (facts.dataModifyingCte && `data-modifying CTE (${facts.dataModifyingCte})`) ||
    (facts.rowLock && `row lock (${facts.rowLock})`) ||
    (facts.writeFunction && `${facts.writeFunction}() writes or keeps session state`);
  if (mustWrite) return onPrimary(facts, mustWrite, 'SelectStmt', body);
  const cacheable = !facts.nonDeterministic && !facts.tempTable && !facts.catalogTable && !facts.tableSample;
  const { score, signals } = analyticalScore(facts);
  const read = { ...tables(facts), ...NO_SPECIAL_EFFECTS, cacheable };
  if (score >= ANALYTICAL_THRESHOLD) {
    return { ...read, queryType: 'ANALYTICAL', target: 'analytics', reason: `analytical read (${signals.join(', ')})` };
  }
  return { ...read, queryType: 'READ', target: 'read_replica', reason: 'plain read' };
}

/**
 * EXPLAIN ANALYZE executes its statement, so it goes wherever the statement
 * goes. Plain EXPLAIN only plans: a read plans on a replica; anything else is
 * planned on the primary, where the planner sees what the statement would.
 */
function classifyExplain(explain: Node): StatementVerdict {
  const inner = classifyStatement((explain['query'] ?? {}) as Node);
  if (explainAnalyzes(explain)) {
    return { ...inner, reason: `EXPLAIN ANALYZE runs the statement: ${inner.reason}`, cacheable: false };
  }
  // Plain EXPLAIN writes nothing: whatever the statement would write is only looked at.
  const tablesRead = [...inner.tablesRead, ...inner.tablesWritten];
  const base = { ...inner, ...NO_SPECIAL_EFFECTS, tablesRead, tablesWritten: [], cacheable: false };
  if (inner.target !== 'primary') {
    return { ...base, queryType: 'READ', target: 'read_replica', reason: 'EXPLAIN without ANALYZE of a read' };
  }
  return { ...base, queryType: 'WRITE', target: 'primary', reason: `EXPLAIN of a statement for the primary: ${inner.reason}` };
}

function explainAnalyzes(explain: Node): boolean {
  const options = (explain['options'] as Node[] | undefined) ?? [];
  const analyze = options
    .map((option) => option['DefElem'] as Node | undefined)
    .find((option) => option?.['defname'] === 'analyze');
  if (!analyze) return false;
  const arg = analyze['arg'] as Node | undefined;
  if (!arg) return true;
  // `ANALYZE false|off|0`: libpg-query omits zero values, so `0` is an Integer node without ival.
  if (arg['Integer']) return Boolean((arg['Integer'] as Node)['ival']);
  const value = (arg['String'] as Node | undefined)?.['sval'] ?? (arg['Boolean'] as Node | undefined)?.['boolval'];
  // Anything unrecognised counts as on: the statement is then classified as if it ran, never less strictly.
  return !['false', 'off', 'no', false].includes(value as string | boolean);
}

const NO_SPECIAL_EFFECTS = { sessionState: false, transactionControl: false, functionDdl: false, opaqueCode: false } as const;

function onPrimary(facts: StatementFacts, reason: string, type: string, body: Node): StatementVerdict {
  return {
    ...tables(facts),
    ...NO_SPECIAL_EFFECTS,
    queryType: 'WRITE',
    target: 'primary',
    reason,
    cacheable: false,
    sessionState: leavesSessionState(facts, type, body),
  };
}

function tables(facts: StatementFacts): Pick<StatementVerdict, 'tablesRead' | 'tablesWritten' | 'functions' | 'operators' | 'castTypes'> {
  return { tablesRead: facts.tablesRead, tablesWritten: facts.tablesWritten, functions: facts.functions, operators: facts.operators, castTypes: facts.castTypes };
}

/** A temporary object that outlives the transaction (no ON COMMIT DROP), or a session function (session advisory lock, set_config(..., false)). */
function leavesSessionState(facts: StatementFacts, type: string, body: Node): boolean {
  return (facts.tempTableWritten && !dropsAtCommit(type, body)) || facts.sessionFunction !== undefined;
}

function dropsAtCommit(type: string, body: Node): boolean {
  if (type === 'CreateStmt') return body['oncommit'] === 'ONCOMMIT_DROP';
  const into = (type === 'CreateTableAsStmt' ? body['into'] : type === 'SelectStmt' ? body['intoClause'] : undefined) as Node | undefined;
  return into?.['onCommit'] === 'ONCOMMIT_DROP';
}

function isFunctionDdl(type: string, body: Node): boolean {
  if (FUNCTION_DDL.has(type)) return true;
  if (type === 'DefineStmt') return FUNCTION_OBJECTS.has(String(body['kind']));
  if (type === 'DropStmt') return FUNCTION_OBJECTS.has(String(body['removeType']));
  if (type === 'RenameStmt') return FUNCTION_OBJECTS.has(String(body['renameType']));
  if (type === 'AlterObjectSchemaStmt' || type === 'AlterOwnerStmt') return FUNCTION_OBJECTS.has(String(body['objectType']));
  return false;
}

/** SET LOCAL, SET TRANSACTION and cursors without HOLD end with the transaction, which pins the client anyway. */
function isSessionStatement(type: string, body: Node): boolean {
  if (type === 'VariableSetStmt') return body['is_local'] !== true && body['name'] !== 'TRANSACTION';
  if (type === 'DeclareCursorStmt') return (Number(body['options'] ?? 0) & CURSOR_OPT_HOLD) !== 0;
  return SESSION_STATEMENTS.has(type);
}

function statementLabel(type: string, body: Node): string {
  if (type === 'VariableSetStmt' && String(body['kind']).startsWith('VAR_RESET')) return 'RESET';
  if (type === 'VacuumStmt') return body['is_vacuumcmd'] ? 'VACUUM' : 'ANALYZE';
  if (type === 'CopyStmt') return body['is_from'] ? 'COPY FROM' : 'COPY TO';
  return STATEMENT_LABELS[type] ?? type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

function transactionLabel(body: Node): string {
  return String(body['kind'] ?? 'TRANS_STMT_UNKNOWN').replace('TRANS_STMT_', '').replace(/_/g, ' ');
}
