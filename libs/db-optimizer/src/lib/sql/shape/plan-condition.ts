import type { Node } from 'libpg-query';
import { parseSql } from '../parser';
import { collectPredicates } from './predicates';
import { resolverFor } from './column-resolver';
import type { Predicate, RelationRef } from './statement-shape.interface';

/**
 * The conditions of a plan node's `Filter`, `Index Cond` or `Join Filter`
 * text (`((o.a = 5) AND (o.b = 5))`), read with the real parser, for the
 * relation the node scans. A VERBOSE plan qualifies columns by alias; other
 * relations' columns (a join's outer side) stay unresolved. Undefined when the
 * text is not plain SQL (`(hashed SubPlan 1)`, `(InitPlan 1).col1`): callers
 * then fall back to the statement's own WHERE.
 */
export function planConditionPredicates(condition: string | undefined, relation: RelationRef): Predicate[] | undefined {
  if (!condition) return undefined;
  let statement: Node | undefined;
  try {
    // `SELECT WHERE <condition>` is valid SQL: the parser gives back the condition as a WHERE tree.
    statement = parseSql(`SELECT WHERE ${condition}`).stmts?.[0]?.stmt;
  } catch {
    return undefined;
  }
  const where = statement && 'SelectStmt' in statement ? statement.SelectStmt.whereClause : undefined;
  if (where === undefined) return undefined;
  // Plan texts show parameters as $n and constants inline: no parameter values are needed.
  return collectPredicates(where, resolverFor({ relations: [relation] }), []);
}

/** Whether a predicate is on `relation` (same name, and same schema or alias when both sides know it). */
export function isOnRelation(predicate: Predicate, relation: RelationRef): boolean {
  const target = predicate.column.relation;
  if (target === undefined || target.name !== relation.name) return false;
  if (target.schema && relation.schema && target.schema !== relation.schema) return false;
  return !(target.alias && relation.alias && target.alias !== relation.alias);
}
