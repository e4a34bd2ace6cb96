import type { PlanNodeSummary } from '../plan/plan-node-summary.interface';
import { qualifiedName } from '../../sql/quote';
import { isOnRelation, planConditionPredicates } from '../../sql/shape/plan-condition';
import type { Predicate, RelationRef } from '../../sql/shape/statement-shape.interface';
import type { RuleContext, Suggestion, SuggestionNodeRef } from './suggestion.interface';

/** The reference a suggestion carries to its plan node. */
export function nodeRef(node: PlanNodeSummary): SuggestionNodeRef {
  return { nodeType: node.nodeType, relation: relationName(node), path: node.path };
}

/** `schema.table` of a scan node (the schema comes with VERBOSE plans), undefined for other nodes. */
export function relationName(node: PlanNodeSummary): string | undefined {
  return node.relation ? qualifiedName(node.schema, node.relation) : undefined;
}

export function relationOf(node: PlanNodeSummary): RelationRef | undefined {
  return node.relation ? { schema: node.schema, name: node.relation, alias: node.alias } : undefined;
}

/**
 * The conditions a node applies to a table (by default the table it scans):
 * read from the plan's condition texts (`Filter`, `Index Cond`, a join's
 * `Join Filter`...), or, when those are not plain SQL, from the statement's
 * WHERE / ON for that table.
 */
export function scanPredicates(
  context: RuleContext,
  node: PlanNodeSummary,
  fields: readonly string[],
  relation: RelationRef | undefined = relationOf(node),
): Predicate[] {
  if (!relation) return [];
  const raw = context.plan?.rawNodes[node.id];
  const fromPlan: Predicate[] = [];
  let readable = true;
  for (const field of fields) {
    const text = raw?.[field];
    if (typeof text !== 'string') continue;
    const predicates = planConditionPredicates(text, relation);
    if (predicates === undefined) readable = false;
    else fromPlan.push(...predicates);
  }
  const own = (predicates: Predicate[]): Predicate[] => predicates.filter((predicate) => isOnRelation(predicate, relation));
  if (readable && fromPlan.length > 0) return own(fromPlan);
  return own(statementPredicates(context, relation));
}

/** Predicates of the statement's blocks on a table named like `relation` (alias-insensitive: plans rename). */
function statementPredicates(context: RuleContext, relation: RelationRef): Predicate[] {
  const found: Predicate[] = [];
  for (const block of context.statement?.blocks ?? []) {
    for (const predicate of block.predicates) {
      const target = predicate.column.relation;
      if (target?.name !== relation.name || (target.schema && relation.schema && target.schema !== relation.schema)) continue;
      found.push({ ...predicate, column: { ...predicate.column, relation } });
    }
  }
  return found;
}

/** What a statement rule makes of one condition: the suggestion, and the key that tells repeats apart. */
export interface PredicateSuggestion {
  key: string;
  suggestion: Suggestion;
}

/**
 * Runs `suggest` over every condition of the statement's blocks, with the
 * condition's table as a fix should spell it, and keeps the first suggestion
 * for each key: a condition repeated across blocks (UNION branches,
 * subqueries) is reported once. `suggest` returns undefined to pass over.
 */
export function suggestPerPredicate(
  context: RuleContext,
  suggest: (predicate: Predicate, table: string | undefined) => PredicateSuggestion | undefined,
): Suggestion[] {
  const suggestions = new Map<string, Suggestion>();
  for (const block of context.statement?.blocks ?? []) {
    for (const predicate of block.predicates) {
      const found = suggest(predicate, tableNameFor(context, predicate.column.relation));
      if (found && !suggestions.has(found.key)) suggestions.set(found.key, found.suggestion);
    }
  }
  return [...suggestions.values()];
}

/** A statement relation's name as the fix should spell it: the catalog's schema when known, else as written. */
export function tableNameFor(context: RuleContext, relation: RelationRef | undefined): string | undefined {
  if (!relation) return undefined;
  const facts = context.tables.find(relation.schema, relation.name);
  return facts ? qualifiedName(facts.schema, facts.name) : qualifiedName(relation.schema, relation.name);
}

/** `1.2k`, `35k`, `1.4M`: counts in messages. */
export function formatCount(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.round(value));
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
