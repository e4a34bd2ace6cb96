import { parsePlPgSQLSync } from 'libpg-query';
import { parseSql } from '../parser';
import { collectStatementFacts } from '../statement-facts';
import { dmlWrites } from './dml-writes';
import type { DmlWrite } from './dml-writes';
import { plpgsqlQueries } from './plpgsql-queries';
import type { ParseNode as Node } from '../parse-node';

/** What one function's own code changes, before following the functions it calls. */
export interface FunctionEffects {
  /** Tables its statements change, as written in its code (unqualified names resolve with the catalog's search_path). */
  writes: DmlWrite[];
  /** Functions it calls, as the classifier names them. */
  calls: string[];
  /** Set when the code cannot be analysed; says why. */
  unknown?: string;
}

/** A function as pg_proc describes it. */
export interface FunctionDefinition {
  schema: string;
  name: string;
  /** pg_proc.provolatile. */
  volatility: string;
  /** pg_proc.prokind: f function, p procedure, a aggregate, w window. */
  kind: string;
  language: string;
  /** pg_proc.prosrc. */
  source: string | null;
  /** pg_get_functiondef(); only fetched for volatile sql/plpgsql functions outside pg_catalog. */
  definition: string | null;
  /** Part of an extension. */
  fromExtension: boolean;
}


const none = (): FunctionEffects => ({ writes: [], calls: [] });
const unknownBecause = (reason: string): FunctionEffects => ({ writes: [], calls: [], unknown: reason });

/** Statements a function body may hold besides its data changes without escaping analysis. */
const HARMLESS_STATEMENTS = new Set([
  'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'TruncateStmt', 'CopyStmt',
  'CallStmt', 'NotifyStmt', 'VariableSetStmt', 'VariableShowStmt', 'TransactionStmt', 'LockStmt', 'ReturnStmt',
]);

/**
 * What a function may change. Built-ins and functions that are not
 * VOLATILE change no table (PostgreSQL refuses data changes in STABLE and
 * IMMUTABLE SQL and PL/pgSQL functions); extension code in C is trusted to
 * leave the application's tables alone. SQL and PL/pgSQL bodies are parsed;
 * anything else (C, PL/Python..., dynamic SQL, DDL) is unknown.
 */
export function functionEffects(fn: FunctionDefinition): FunctionEffects {
  const label = `${fn.schema}.${fn.name}()`;
  if (fn.schema === 'pg_catalog' || fn.schema === 'information_schema' || fn.volatility !== 'v') return none();
  // An aggregate or window function runs its support functions, which change no table in any sane schema.
  if (fn.kind === 'a' || fn.kind === 'w') return none();
  if (fn.language === 'plpgsql' && fn.definition) return plpgsqlEffects(fn.definition, label);
  if (fn.language === 'sql') return sqlEffects(fn, label);
  if (fn.fromExtension) return none();
  return unknownBecause(`${label} is VOLATILE ${fn.language} code`);
}

function plpgsqlEffects(definition: string, label: string): FunctionEffects {
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(definition);
  } catch (error) {
    return unknownBecause(`${label} could not be parsed (${(error as Error).message})`);
  }
  const queries = plpgsqlQueries(tree);
  if (queries.dynamic) return unknownBecause(`${label} runs dynamic SQL (EXECUTE)`);
  const statements: Node[] = [];
  for (const [text, wrap] of [...queries.statements.map((sql) => [sql, false] as const), ...queries.expressions.map((sql) => [sql, true] as const)]) {
    const parsed = tryParse(wrap ? `SELECT ${text}` : text);
    if (!parsed) return unknownBecause(`${label} holds SQL that could not be parsed`);
    statements.push(...parsed);
  }
  return combine(statements, label);
}

/** A plain SQL body is in prosrc; a BEGIN ATOMIC body only in the full definition. */
function sqlEffects(fn: FunctionDefinition, label: string): FunctionEffects {
  if (fn.source && fn.source.trim() !== '') {
    const parsed = tryParse(fn.source);
    return parsed ? combine(parsed, label) : unknownBecause(`${label} could not be parsed`);
  }
  const created = fn.definition ? tryParse(fn.definition)?.[0] : undefined;
  const body = (created?.['CreateFunctionStmt'] as Node | undefined)?.['sql_body'];
  if (body === undefined) return unknownBecause(`${label} has no readable body`);
  return combine(flattenStatements(body), label);
}

function combine(statements: Node[], label: string): FunctionEffects {
  const writes: DmlWrite[] = [];
  const calls = new Set<string>();
  for (const statement of statements) {
    const type = Object.keys(statement)[0] ?? '';
    const body = statement[type] as Node | undefined;
    if (!HARMLESS_STATEMENTS.has(type) || (type === 'SelectStmt' && body?.['intoClause'])) {
      return unknownBecause(`${label} runs ${type}`);
    }
    writes.push(...dmlWrites(statement));
    for (const name of collectStatementFacts(statement).functions) calls.add(name);
  }
  return { writes, calls: [...calls] };
}

function tryParse(sql: string): Node[] | undefined {
  try {
    return (parseSql(sql).stmts ?? []).map((raw) => (raw.stmt ?? {}) as Node);
  } catch {
    return undefined;
  }
}

/** sql_body is a statement (RETURN ...) or nested Lists of statements. */
function flattenStatements(body: unknown): Node[] {
  if (Array.isArray(body)) return body.flatMap(flattenStatements);
  const node = body as Node;
  const list = node['List'] as Node | undefined;
  if (list) return flattenStatements(list['items'] ?? []);
  return [node];
}
