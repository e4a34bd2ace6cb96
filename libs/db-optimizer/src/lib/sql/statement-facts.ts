import {
  AGGREGATE_FUNCTIONS,
  NON_DETERMINISTIC_FUNCTIONS,
  NON_DETERMINISTIC_PREFIXES,
  SESSION_FUNCTIONS,
  TIME_WORDS,
  WRITE_FUNCTION_PREFIXES,
  WRITE_FUNCTIONS,
  matchesFunction,
} from './sql-functions.constants';
import type { StatementFacts } from './statement-facts.interface';
import { DML_STATEMENTS, DROPPED_RELATIONS, LOCK_STRENGTHS, WRITE_TARGETS } from './statement-nodes.constants';
import type { ParseNode as Node } from './parse-node';

export type { StatementFacts } from './statement-facts.interface';

type Scope = ReadonlySet<string>;
type Mode = 'read' | 'write';

const NO_SCOPE: Scope = new Set();

/**
 * Walks one statement's parse tree (libpg-query JSON) and gathers what the
 * classifier decides on. The walk is generic: it recurses through every
 * object and array, and only the nodes that matter have a case. A node is
 * recognised by its wrapper key (`{ FuncCall: {...} }`) or, for the fields
 * libpg-query leaves unwrapped (`relation`, `larg`...), by a field name
 * (`lockingClause`, `fromClause`) or by shape (a RangeVar has `relname`).
 */
export function collectStatementFacts(statement: unknown): StatementFacts {
  const collector = new FactCollector();
  collector.visit(statement, NO_SCOPE, 'read');
  return collector.facts;
}

class FactCollector {
  readonly facts: StatementFacts = {
    tablesRead: [],
    tablesWritten: [],
    functions: [],
    operators: [],
    castTypes: [],
    selectInto: false,
    tempTable: false,
    tempTableWritten: false,
    catalogTable: false,
    tableSample: false,
    groupBy: false,
    groupingSets: false,
    window: false,
    aggregate: false,
    setOperation: false,
    distinct: false,
    widestFrom: 0,
  };
  private readonly seen = {
    read: new Set<string>(),
    write: new Set<string>(),
    functions: new Set<string>(),
    operators: new Set<string>(),
    castTypes: new Set<string>(),
  };

  /**
   * @param scope CTE names visible here: an unqualified relation with such a name is the CTE, not a table.
   * @param writeKeys fields of this very object whose relations are written.
   */
  visit(value: unknown, scope: Scope, mode: Mode, writeKeys?: readonly string[]): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, scope, mode);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if (typeof node['relname'] === 'string') {
      this.relation(node, scope, mode);
      return;
    }
    // A WITH clause scopes its names over the statement that holds it.
    const inner = node['withClause'] ? this.withClause(node['withClause'] as Node, scope) : scope;
    for (const key in node) {
      const child = node[key];
      if (key === 'withClause' || child === null || typeof child !== 'object') {
        if (key === 'op' && typeof child === 'string' && child.startsWith('SETOP_') && child !== 'SETOP_NONE') {
          this.facts.setOperation = true;
        }
        continue;
      }
      // Below a write target (a RangeVar, a list of them, an IntoClause) everything is the target.
      this.field(key, child, inner, writeKeys?.includes(key) ? 'write' : mode);
    }
  }

  private field(key: string, child: unknown, scope: Scope, mode: Mode): void {
    switch (key) {
      case 'lockingClause':
        // Its RangeVars (FOR UPDATE OF x) name aliases, not tables: not walked.
        this.lockingClause(child as Node[]);
        return;
      case 'intoClause':
        this.facts.selectInto = true;
        break;
      case 'groupClause':
        if ((child as unknown[]).length > 0) this.facts.groupBy = true;
        break;
      case 'distinctClause':
        if ((child as unknown[]).length > 0) this.facts.distinct = true;
        break;
      case 'fromClause':
        this.facts.widestFrom = Math.max(this.facts.widestFrom, fromWidth(child as Node[]));
        break;
    }
    if (isNodeType(key)) this.node(key, child as Node, scope, mode);
    else this.visit(child, scope, mode);
  }

  private node(type: string, body: Node, scope: Scope, mode: Mode): void {
    switch (type) {
      case 'FuncCall':
        this.funcCall(body);
        break;
      case 'CallStmt':
        this.funcCall(body['funccall'] as Node);
        break;
      case 'A_Const':
        // 'now', 'today'... become the current time wherever they meet a date/time type.
        this.stringConstant(body);
        return;
      case 'A_Expr':
        this.operator(body);
        break;
      case 'TypeCast':
        this.typeCast(body);
        break;
      case 'SQLValueFunction':
        this.facts.nonDeterministic ??= String(body['op']).replace('SVFOP_', '');
        return;
      case 'RangeTableSample':
        this.facts.tableSample = true;
        break;
      case 'GroupingSet':
        this.facts.groupingSets = true;
        break;
      case 'CopyStmt':
        // COPY ... FROM fills the table; COPY ... TO only reads it.
        this.visit(body, scope, mode, body['is_from'] ? ['relation'] : undefined);
        return;
      case 'DropStmt':
        this.droppedRelations(body);
        return;
    }
    this.visit(body, scope, mode, WRITE_TARGETS[type]);
  }

  private relation(rangeVar: Node, scope: Scope, mode: Mode): void {
    const name = rangeVar['relname'] as string;
    const schema = rangeVar['schemaname'] as string | undefined;
    if (schema === undefined && mode === 'read' && scope.has(name)) return;
    const temp = rangeVar['relpersistence'] === 't' || (schema?.startsWith('pg_temp') ?? false);
    if (temp) {
      this.facts.tempTable = true;
      if (mode === 'write') this.facts.tempTableWritten = true;
    } else if (isCatalog(schema, name)) {
      this.facts.catalogTable = true;
    }
    this.addTable(mode, schema, name);
  }

  private addTable(mode: Mode, schema: string | undefined, name: string): void {
    const key = `${schema ?? ''}.${name}`;
    const seen = this.seen[mode];
    if (seen.has(key)) return;
    seen.add(key);
    const list = mode === 'write' ? this.facts.tablesWritten : this.facts.tablesRead;
    list.push(schema === undefined ? { name } : { schema, name });
  }

  private withClause(withClause: Node, outer: Scope): Scope {
    const ctes = ((withClause['ctes'] as Node[] | undefined) ?? []).map((cte) => cte['CommonTableExpr'] as Node);
    const names = ctes.map((cte) => cte['ctename'] as string);
    const recursive = withClause['recursive'] === true;
    ctes.forEach((cte, index) => {
      // A plain CTE sees only the ones before it: `WITH t AS (SELECT * FROM t)` reads the table t.
      const visible = recursive ? names : names.slice(0, index);
      const query = cte['ctequery'] as Node | undefined;
      const command = query && DML_STATEMENTS[Object.keys(query)[0]];
      if (command) this.facts.dataModifyingCte ??= command;
      this.visit(cte, extend(outer, visible), 'read');
    });
    return extend(outer, names);
  }

  private funcCall(call: Node | undefined): void {
    const parts = ((call?.['funcname'] as Node[] | undefined) ?? []).map((part) =>
      String((part['String'] as Node | undefined)?.['sval'] ?? '').toLowerCase(),
    );
    if (parts.length === 0 || !call) return;
    const name = parts.join('.');
    const last = parts[parts.length - 1];
    if (!this.seen.functions.has(name)) {
      this.seen.functions.add(name);
      this.facts.functions.push(name);
    }
    if (call['over']) this.facts.window = true;
    else if (isAggregateCall(call, last)) this.facts.aggregate = true;
    if (matchesFunction(last, WRITE_FUNCTIONS, WRITE_FUNCTION_PREFIXES)) this.facts.writeFunction ??= name;
    if (SESSION_FUNCTIONS.has(last) && !(last === 'set_config' && isLocalSetConfig(call))) this.facts.sessionFunction ??= name;
    if (matchesFunction(last, NON_DETERMINISTIC_FUNCTIONS, NON_DETERMINISTIC_PREFIXES)) {
      this.facts.nonDeterministic ??= name;
    }
  }

  private stringConstant(constant: Node): void {
    const text = (constant['sval'] as Node | undefined)?.['sval'];
    if (typeof text === 'string' && TIME_WORDS.test(text)) this.facts.nonDeterministic ??= `'${text.trim().toLowerCase()}' (a time literal)`;
  }

  private operator(expression: Node): void {
    const name = nameOf(expression['name']);
    if (name === undefined) return;
    if (!this.seen.operators.has(name)) {
      this.seen.operators.add(name);
      this.facts.operators.push(name);
    }
  }

  private typeCast(cast: Node): void {
    const name = nameOf((cast['typeName'] as Node | undefined)?.['names']);
    if (name === undefined || this.seen.castTypes.has(name)) return;
    this.seen.castTypes.add(name);
    this.facts.castTypes.push(name);
  }

  private lockingClause(clauses: Node[]): void {
    for (const clause of clauses) {
      const strength = (clause['LockingClause'] as Node | undefined)?.['strength'];
      this.facts.rowLock ??= LOCK_STRENGTHS[String(strength)] ?? 'row lock';
    }
  }

  /** DROP names its relations as name lists, not RangeVars. */
  private droppedRelations(drop: Node): void {
    if (!DROPPED_RELATIONS.has(String(drop['removeType']))) return;
    for (const object of (drop['objects'] as Node[] | undefined) ?? []) {
      const items = ((object['List'] as Node | undefined)?.['items'] as Node[] | undefined) ?? [];
      const parts = items.map((item) => String((item['String'] as Node | undefined)?.['sval'] ?? ''));
      if (parts.length === 0) continue;
      this.addTable('write', parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1]);
    }
  }
}

/** `set_config(name, value, true)`: the setting ends with the transaction. Anything else may outlive it. */
function isLocalSetConfig(call: Node): boolean {
  const third = ((call['args'] as Node[] | undefined) ?? [])[2]?.['A_Const'] as Node | undefined;
  if (!third) return false;
  const bool = (third['boolval'] as Node | undefined)?.['boolval'];
  const text = (third['sval'] as Node | undefined)?.['sval'];
  return bool === true || (typeof text === 'string' && ['true', 't', 'on', 'yes', '1'].includes(text.trim().toLowerCase()));
}

/** A name list (`[{String:{sval}}...]`) as `schema.name`, lower-cased; undefined when empty. */
function nameOf(list: unknown): string | undefined {
  const parts = ((list as Node[] | undefined) ?? []).map((part) => String((part['String'] as Node | undefined)?.['sval'] ?? '').toLowerCase());
  return parts.length === 0 ? undefined : parts.join('.');
}

/** Node wrappers are the only keys in capitals (`SelectStmt`, `RangeVar`); fields are snake or camel case. */
function isNodeType(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 65 && first <= 90;
}

function isAggregateCall(call: Node, name: string): boolean {
  return (
    AGGREGATE_FUNCTIONS.has(name) ||
    call['agg_star'] === true ||
    call['agg_distinct'] === true ||
    call['agg_within_group'] === true ||
    call['agg_filter'] !== undefined ||
    call['agg_order'] !== undefined
  );
}

function isCatalog(schema: string | undefined, name: string): boolean {
  if (schema === undefined) return name.startsWith('pg_');
  return schema === 'information_schema' || schema.startsWith('pg_') || name.startsWith('pg_');
}

/** Relations side by side in one FROM: joins count each side, a subquery counts as one. */
function fromWidth(items: Node[]): number {
  let width = 0;
  for (const item of items) {
    const join = item['JoinExpr'] as Node | undefined;
    width += join ? fromWidth([join['larg'] as Node, join['rarg'] as Node]) : 1;
  }
  return width;
}

function extend(scope: Scope, names: readonly string[]): Scope {
  if (names.length === 0) return scope;
  return new Set([...scope, ...names]);
}
