import { classifyStatement } from './classify-statement';
import type { StatementVerdict } from './classify-statement';
import { SQL_PARSER_NOT_LOADED, fingerprintSql, isSqlParserLoaded, maskLiterals, normalizeSql, parseSql } from './parser';
import type { ParseResult } from './parser';
import type { QueryClassification, QueryType, TableRef } from '../core/query-classification.interface';
import type { ParseNode as Node } from './parse-node';

/** The parser's full view of one SQL text (uncached: QueryClassifier caches it per text). */
export function classifyText(sql: string): QueryClassification {
  if (!isSqlParserLoaded()) throw new Error(SQL_PARSER_NOT_LOADED());
  let tree: ParseResult;
  try {
    tree = parseSql(sql);
  } catch (error) {
    return freeze(unparseable(sql, error));
  }
  const statements = (tree.stmts ?? []).map((raw) => (raw.stmt ?? {}) as Node);
  const verdict = statements.length === 1 ? classifyStatement(statements[0]) : classifyMany(statements);
  return freeze({
    ...verdict,
    fingerprint: fingerprintSql(sql) ?? '',
    normalizedSql: normalizeSql(sql, { maskLeftoverLiterals: !statements.every(isFullyNormalized) }) ?? maskLiterals(sql),
    statementCount: statements.length,
    parseTree: tree,
  });
}

/** Statements whose constants normalizeSync replaces all by itself. */
const FULLY_NORMALIZED = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function isFullyNormalized(statement: Node): boolean {
  return FULLY_NORMALIZED.has(Object.keys(statement)[0] ?? '');
}

/** Several statements (or none) in one text: always the primary, in one piece. */
function classifyMany(statements: Node[]): StatementVerdict {
  const verdicts = statements.map(classifyStatement);
  return {
    queryType: combinedType(verdicts.map((verdict) => verdict.queryType)),
    target: 'primary',
    reason: statements.length === 0 ? 'no statement in the text' : `${statements.length} statements in one text`,
    tablesRead: uniqueTables(verdicts.flatMap((verdict) => verdict.tablesRead)),
    tablesWritten: uniqueTables(verdicts.flatMap((verdict) => verdict.tablesWritten)),
    functions: [...new Set(verdicts.flatMap((verdict) => verdict.functions))],
    operators: [...new Set(verdicts.flatMap((verdict) => verdict.operators))],
    castTypes: [...new Set(verdicts.flatMap((verdict) => verdict.castTypes))],
    cacheable: false,
    sessionState: verdicts.some((verdict) => verdict.sessionState),
    transactionControl: verdicts.some((verdict) => verdict.transactionControl),
    functionDdl: verdicts.some((verdict) => verdict.functionDdl),
    opaqueCode: verdicts.some((verdict) => verdict.opaqueCode),
  };
}

function combinedType(types: QueryType[]): QueryType {
  if (types.length === 0 || types.includes('WRITE')) return 'WRITE';
  if (types.includes('TRANSACTIONAL')) return 'TRANSACTIONAL';
  return 'READ';
}

function unparseable(sql: string, error: unknown): QueryClassification {
  const parseError = withoutLiterals(error instanceof Error ? error.message : String(error));
  return {
    queryType: 'WRITE',
    target: 'primary',
    reason: `unparseable: ${parseError}`,
    fingerprint: '',
    normalizedSql: maskLiterals(sql),
    tablesRead: [],
    tablesWritten: [],
    functions: [],
    operators: [],
    castTypes: [],
    statementCount: 0,
    parseError,
    cacheable: false,
    sessionState: false,
    transactionControl: false,
    functionDdl: false,
    opaqueCode: false,
  };
}

/** Parser messages quote the offending token (`at or near "'secret"`): hide it when it is a literal. */
function withoutLiterals(message: string): string {
  return message.replace(/at or near "((?:[eEbBxXnN]|[uU]&)?'|\$|[0-9.]).*"/s, 'at or near a literal');
}

function uniqueTables(tables: TableRef[]): TableRef[] {
  const byKey = new Map(tables.map((table) => [`${table.schema ?? ''}.${table.name}`, table]));
  return [...byKey.values()];
}

/** Shared between callers through the cache, so made read-only (the parse tree excepted: too big to walk). */
function freeze(classification: QueryClassification): QueryClassification {
  for (const table of [...classification.tablesRead, ...classification.tablesWritten]) Object.freeze(table);
  Object.freeze(classification.tablesRead);
  Object.freeze(classification.tablesWritten);
  Object.freeze(classification.functions);
  Object.freeze(classification.operators);
  Object.freeze(classification.castTypes);
  return Object.freeze(classification);
}
