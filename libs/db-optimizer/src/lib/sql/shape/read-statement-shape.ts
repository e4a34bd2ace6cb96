import type { DeleteStmt, InsertStmt, MergeStmt, Node, RangeVar, SelectStmt, UpdateStmt } from 'libpg-query';
import { AGGREGATE_FUNCTIONS } from '../sql-functions.constants';
import { columnNames, isRecord, stringsOf, valueOf } from './parse-nodes';
import { resolverFor } from './column-resolver';
import { collectPredicates } from './predicates';
import { explainableKind } from './statement-kind';
import type { QueryBlock, RelationRef, StatementShape } from './statement-shape.interface';

/**
 * Reads one parsed statement (libpg-query JSON, `stmts[0].stmt`) into blocks
 * of relations and conditions. Undefined for statements EXPLAIN does not take.
 * `params` only serve to read OFFSET and LIKE patterns given as `$n`.
 */
export function readStatementShape(statement: Node | undefined, params: readonly unknown[] = []): StatementShape | undefined {
  const kind = explainableKind(statement);
  if (kind === undefined) return undefined;
  const reader = new ShapeReader(params, cteNames(statement));
  reader.walk(statement, true);
  return { kind, blocks: reader.blocks };
}

class ShapeReader {
  readonly blocks: QueryBlock[] = [];

  constructor(
    private readonly params: readonly unknown[],
    private readonly ctes: ReadonlySet<string>,
  ) {}

  /** Finds every statement below `value`, each one becoming a block. */
  walk(value: unknown, topLevel = false): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item);
      return;
    }
    if (!isRecord(value)) return;
    for (const key in value) {
      const child = value[key];
      if (key === 'SelectStmt') this.select(child as SelectStmt, topLevel);
      else if (key === 'UpdateStmt') this.update(child as UpdateStmt, topLevel);
      else if (key === 'DeleteStmt') this.delete(child as DeleteStmt, topLevel);
      else if (key === 'InsertStmt') this.insert(child as InsertStmt, topLevel);
      else if (key === 'MergeStmt') this.merge(child as MergeStmt, topLevel);
      else this.walk(child);
    }
  }

  private select(select: SelectStmt, topLevel: boolean): void {
    const block = this.block(topLevel);
    block.hasLimit = select.limitCount !== undefined && valueOf(select.limitCount, this.params) !== null;
    const offset = Number(valueOf(select.limitOffset, this.params));
    if (Number.isFinite(offset) && select.limitOffset !== undefined) block.offset = offset;
    if (select.op && select.op !== 'SETOP_NONE') {
      // A UNION/INTERSECT/EXCEPT: its branches are blocks of their own, unwrapped in larg/rarg.
      if (select.larg) this.select(select.larg, false);
      if (select.rarg) this.select(select.rarg, false);
      this.walk([select.withClause, select.sortClause]);
      return;
    }
    this.filtered(block, select.fromClause, select.whereClause);
    block.selectsStar = (select.targetList ?? []).some(isStarTarget);
    block.aggregates = !!select.groupClause || !!select.distinctClause || (select.targetList ?? []).some(isAggregateTarget);
    const resolve = resolverFor(block);
    for (const sort of select.sortClause ?? []) {
      const key = 'SortBy' in sort ? sort.SortBy.node : undefined;
      const names = key && 'ColumnRef' in key ? columnNames(key.ColumnRef) : undefined;
      if (names) block.orderBy.push(resolve(names));
    }
    // WITH first, so CTE bodies come before the subqueries of the body, in text order.
    this.walk([select.withClause, select.targetList, select.whereClause, select.havingClause, select.sortClause, select.valuesLists]);
  }

  private update(update: UpdateStmt, topLevel: boolean): void {
    const block = this.block(topLevel);
    this.target(update.relation, block);
    this.filtered(block, update.fromClause, update.whereClause);
    this.walk([update.targetList, update.whereClause, update.withClause, update.returningClause]);
  }

  private delete(statement: DeleteStmt, topLevel: boolean): void {
    const block = this.block(topLevel);
    this.target(statement.relation, block);
    this.filtered(block, statement.usingClause, statement.whereClause);
    this.walk([statement.whereClause, statement.withClause, statement.returningClause]);
  }

  private insert(insert: InsertStmt, topLevel: boolean): void {
    const block = this.block(topLevel);
    this.target(insert.relation, block);
    this.walk([insert.selectStmt, insert.onConflictClause, insert.withClause, insert.returningClause]);
  }

  private merge(merge: MergeStmt, topLevel: boolean): void {
    const block = this.block(topLevel);
    this.target(merge.relation, block);
    const quals = this.from(merge.sourceRelation ? [merge.sourceRelation] : [], block);
    this.conditions(block, [...quals, merge.joinCondition]);
    this.walk([merge.joinCondition, merge.mergeWhenClauses, merge.withClause]);
  }

  private block(topLevel: boolean): QueryBlock {
    const block: QueryBlock = {
      topLevel,
      relations: [],
      predicates: [],
      orderBy: [],
      hasWhere: false,
      hasLimit: false,
      selectsStar: false,
      aggregates: false,
    };
    this.blocks.push(block);
    return block;
  }

  private target(relation: RangeVar | undefined, block: QueryBlock): void {
    const ref = relation ? this.relation(relation) : undefined;
    if (ref) block.relations.push(ref);
  }

  /** Adds the FROM list's tables to the block; returns the JOIN ... ON conditions. */
  private from(items: readonly Node[] | undefined, block: QueryBlock): Node[] {
    const quals: Node[] = [];
    for (const item of items ?? []) {
      if ('RangeVar' in item) {
        const ref = this.relation(item.RangeVar);
        if (ref) block.relations.push(ref);
      } else if ('JoinExpr' in item) {
        const join = item.JoinExpr;
        quals.push(...this.from([join.larg, join.rarg].filter((side): side is Node => side !== undefined), block));
        if (join.quals) quals.push(join.quals);
        this.walk(join.quals);
      } else {
        this.walk(item);
      }
    }
    return quals;
  }

  /** SELECT's FROM, UPDATE's FROM, DELETE's USING and the WHERE: their tables and conditions join the block. */
  private filtered(block: QueryBlock, items: readonly Node[] | undefined, where: Node | undefined): void {
    const quals = this.from(items, block);
    this.conditions(block, [...quals, where]);
    block.hasWhere = where !== undefined;
  }

  private conditions(block: QueryBlock, expressions: ReadonlyArray<Node | undefined>): void {
    const resolve = resolverFor(block);
    for (const expression of expressions) collectPredicates(expression, resolve, this.params, block.predicates);
  }

  /** A table reference, or undefined when the name is a CTE of this statement. */
  private relation(range: RangeVar): RelationRef | undefined {
    const name = range.relname ?? '';
    if (!range.schemaname && this.ctes.has(name)) return undefined;
    return { schema: range.schemaname, name, alias: range.alias?.aliasname };
  }
}

function isStarTarget(target: Node): boolean {
  const value = 'ResTarget' in target ? target.ResTarget.val : undefined;
  return value !== undefined && 'ColumnRef' in value && (value.ColumnRef.fields ?? []).some((field) => 'A_Star' in field);
}

function isAggregateTarget(target: Node): boolean {
  const value = 'ResTarget' in target ? target.ResTarget.val : undefined;
  if (value === undefined || !('FuncCall' in value)) return false;
  const names = stringsOf(value.FuncCall.funcname);
  return !value.FuncCall.over && AGGREGATE_FUNCTIONS.has((names[names.length - 1] ?? '').toLowerCase());
}

function cteNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) cteNames(item, found);
  } else if (isRecord(value)) {
    for (const key in value) {
      const child = value[key];
      if (key === 'CommonTableExpr' && isRecord(child) && typeof child['ctename'] === 'string') found.add(child['ctename']);
      cteNames(child, found);
    }
  }
  return found;
}
