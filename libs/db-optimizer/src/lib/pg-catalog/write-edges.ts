import type { WriteEvent } from '../sql/dependencies/cache-dependencies.interface';
import { REFERENCING_SQL, RULES_SQL, TRIGGERS_SQL, VIEW_SQL } from './catalog-sql';
import type { FunctionDirectory } from './function-directory';
import type { RelationDirectory, RelationInfo } from './relation-directory';
import type { CatalogQuery } from './catalog-query';
import type { DirectEdges, TableChange } from '../sql/dependencies/write-reach';

interface ReferencingRow {
  oid: string;
  on_delete: string;
  on_update: string;
}

interface TriggerRow {
  name: string;
  type: number;
  function: string;
}

interface RuleRow {
  name: string;
  event: string;
}

// pg_trigger.tgtype bits.
const ROW = 1;
const BEFORE = 2;
const EVENT_BITS: ReadonlyArray<[number, WriteEvent]> = [[4, 'INSERT'], [8, 'DELETE'], [16, 'UPDATE'], [32, 'TRUNCATE']];

/** pg_rewrite.ev_type of rules that act on data changes. */
const RULE_EVENTS: Record<string, WriteEvent> = { '2': 'UPDATE', '3': 'INSERT', '4': 'DELETE' };

/** ON DELETE / ON UPDATE actions that change the referencing rows: CASCADE deletes or updates them, SET NULL/DEFAULT updates them. */
const CHANGING_ACTIONS: Record<string, WriteEvent | undefined> = { c: 'DELETE', n: 'UPDATE', d: 'UPDATE' };

/**
 * What changing one relation tree changes one step further, read from the
 * catalog for every member of the tree: foreign keys referencing it, its
 * triggers (through what their functions write), its rules and, for a view,
 * its base tables.
 */
export async function loadDirectEdges(
  query: CatalogQuery,
  relation: RelationInfo,
  relations: RelationDirectory,
  functions: FunctionDirectory,
): Promise<DirectEdges> {
  const edges = new EdgeBuilder();
  const [referencing, triggers, rules] = await Promise.all([
    query(REFERENCING_SQL, [relation.members]),
    query(TRIGGERS_SQL, [relation.members]),
    query(RULES_SQL, [relation.members]),
  ]);
  for (const row of referencing.rows as ReferencingRow[]) {
    const child = await relations.ofOid(row.oid);
    if (!child) continue;
    const onDelete = CHANGING_ACTIONS[row.on_delete];
    if (onDelete) edges.add('DELETE', { table: child.name, event: onDelete });
    // ON UPDATE CASCADE rewrites the referencing column: an update whatever the action.
    if (CHANGING_ACTIONS[row.on_update]) edges.add('UPDATE', { table: child.name, event: 'UPDATE' });
    // TRUNCATE ... CASCADE empties every referencing table; without CASCADE it fails unless they are truncated too.
    edges.add('TRUNCATE', { table: child.name, event: 'TRUNCATE' });
  }
  for (const trigger of triggers.rows as TriggerRow[]) await addTrigger(edges, trigger, relation, functions);
  for (const rule of rules.rows as RuleRow[]) {
    const event = RULE_EVENTS[rule.event];
    if (!event) continue;
    edges.unknown[event] ??= `rule ${rule.name} on ${relation.name} rewrites ${event}`;
    edges.keysMayChange.add(event);
  }
  if (relation.kind === 'v') await addViewBases(edges, query, relation, relations);
  return edges.build();
}

async function addTrigger(edges: EdgeBuilder, trigger: TriggerRow, relation: RelationInfo, functions: FunctionDirectory): Promise<void> {
  const events = EVENT_BITS.filter(([bit]) => (trigger.type & bit) !== 0).map(([, event]) => event);
  // A BEFORE ROW trigger may rewrite NEW (the key included) or skip the row.
  if ((trigger.type & ROW) !== 0 && (trigger.type & BEFORE) !== 0) {
    for (const event of events) if (event === 'INSERT' || event === 'UPDATE') edges.keysMayChange.add(event);
  }
  const effects = await functions.changesOfOids([trigger.function]);
  for (const event of events) {
    if (effects.unknown !== undefined) edges.unknown[event] ??= `trigger ${trigger.name} on ${relation.name}: ${effects.unknown}`;
    for (const change of effects.changes) edges.add(event, change);
  }
}

/** Writing an updatable view writes its base tables (INSTEAD OF triggers are covered as triggers). */
async function addViewBases(edges: EdgeBuilder, query: CatalogQuery, relation: RelationInfo, relations: RelationDirectory): Promise<void> {
  const { rows } = await query(VIEW_SQL, [relation.oid]);
  const bases = ((rows[0] as { bases?: string[] } | undefined)?.bases ?? []);
  for (const oid of bases) {
    const base = await relations.ofOid(oid);
    if (!base) continue;
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) edges.add(event, { table: base.name, event });
  }
}

class EdgeBuilder {
  readonly next = new Map<WriteEvent, Map<string, TableChange>>();
  readonly unknown: DirectEdges['unknown'] = {};
  readonly keysMayChange = new Set<WriteEvent>();

  add(on: WriteEvent, change: TableChange): void {
    let changes = this.next.get(on);
    if (!changes) {
      changes = new Map();
      this.next.set(on, changes);
    }
    changes.set(`${change.event} ${change.table}`, change);
  }

  build(): DirectEdges {
    const next: DirectEdges['next'] = {};
    for (const [event, changes] of this.next) next[event] = [...changes.values()];
    return { next, unknown: this.unknown, keysMayChange: [...this.keysMayChange] };
  }
}
