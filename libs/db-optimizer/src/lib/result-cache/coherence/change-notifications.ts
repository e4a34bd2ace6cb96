import { CHANGE_CHANNEL, CHANGE_FUNCTION_NAME, CHANGE_TRIGGER_NAME } from './change-notifications.constants';
import { INVALID_NOTIFICATION_TABLE, NOT_A_NOTIFICATION_TABLE, RELATION_KINDS, UNKNOWN_NOTIFICATION_TABLE } from '../../pg-catalog/dependency.messages';
import { RelationDirectory } from '../../pg-catalog/relation-directory';
import type { CatalogQuery } from '../../pg-catalog/catalog-query';

export { ChangeNotificationListener } from './change-notification-listener';
export type { ChangeNotificationListenerOptions } from './change-notification-listener';
export { CHANGE_CHANNEL } from './change-notifications.constants';

/** A table tree to equip: its canonical name (the payload) and the members that can carry triggers. */
interface NotificationTarget {
  canonical: string;
  members: MemberRow[];
}

interface MemberRow {
  oid: string;
  kind: string;
  qualified: string;
  schema: string;
  payload: string;
}

// Quoting is left to the server (format %I, quote_ident, quote_literal): names may hold any character.
const MEMBERS_SQL = `
SELECT c.oid::int8 AS oid, c.relkind AS kind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS qualified,
       pg_catalog.quote_ident(n.nspname) AS schema, pg_catalog.quote_literal($2::text) AS payload
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY ($1::oid[]) AND c.relkind IN ('r', 'p')
ORDER BY c.oid`;

const UNUSED_FUNCTIONS_SQL = `
SELECT pg_catalog.format('%I.%I', n.nspname, p.proname) AS qualified
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = '${CHANGE_FUNCTION_NAME}' AND pg_catalog.quote_ident(n.nspname) = ANY ($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgfoid = p.oid)`;

/**
 * Makes writes that bypass the module visible: on each table (every member
 * of its inheritance tree, since a write straight to a partition does not
 * fire its parent's statement triggers), an AFTER ... FOR EACH STATEMENT
 * trigger NOTIFYs CHANGE_CHANNEL with the table's canonical name. NOTIFY
 * is delivered at commit, and not at all on rollback. Idempotent: run it
 * again to pick up new partitions. All of it runs as one multi-statement
 * text, so `query` must accept SQL without parameters (pg's simple protocol).
 *
 * @param tables `table` (search_path) or `schema.table`, unquoted, exact case.
 * @returns the canonical names notifications will carry, in order.
 * @throws Error naming the table when one does not exist or is not a table; nothing is installed then.
 * @example
 * await installChangeNotifications((sql, params) => pool.query(sql, params), ['users', 'billing.invoices']);
 * // ['public.users', 'billing.invoices']
 * @publicApi
 */
export async function installChangeNotifications(query: CatalogQuery, tables: string[]): Promise<string[]> {
  const targets = await resolveTargets(query, tables, 'install');
  const statements: string[] = [];
  for (const schema of new Set(targets.flatMap((target) => target.members.map((member) => member.schema)))) {
    statements.push(triggerFunctionSql(schema));
  }
  for (const member of targets.flatMap((target) => target.members)) {
    statements.push(
      `DROP TRIGGER IF EXISTS ${CHANGE_TRIGGER_NAME} ON ${member.qualified}`,
      `CREATE TRIGGER ${CHANGE_TRIGGER_NAME} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${member.qualified} ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION ${member.schema}.${CHANGE_FUNCTION_NAME}(${member.payload})`,
    );
  }
  if (statements.length > 0) await query(statements.join(';\n'));
  return [...new Set(targets.map((target) => target.canonical))];
}

// The payload is the trigger's first argument: tgargs holds the arguments, each ending in a NUL byte.
const NOTIFYING_TABLES_SQL = `
SELECT DISTINCT pg_catalog.convert_from(substring(t.tgargs FROM 1 FOR position('\\x00'::bytea IN t.tgargs) - 1), 'UTF8') AS payload
FROM pg_catalog.pg_trigger t
WHERE t.tgname = $1 AND NOT t.tgisinternal AND t.tgnargs = 1
ORDER BY 1`;

/**
 * The tables installChangeNotifications() equipped (by any instance, at any time before):
 * canonical names, as their notifications carry them.
 */
export async function notifyingTables(query: CatalogQuery): Promise<string[]> {
  const { rows } = await query(NOTIFYING_TABLES_SQL, [CHANGE_TRIGGER_NAME]);
  return (rows as Array<{ payload: string }>).map((row) => row.payload);
}

/**
 * Removes what installChangeNotifications() installed on these tables, and
 * the trigger function of each schema once no trigger uses it. Tables that
 * no longer exist are skipped: there is nothing left to remove on them.
 * @publicApi
 */
export async function removeChangeNotifications(query: CatalogQuery, tables: string[]): Promise<void> {
  const targets = await resolveTargets(query, tables, 'remove');
  const members = targets.flatMap((target) => target.members);
  if (members.length === 0) return;
  await query(members.map((member) => `DROP TRIGGER IF EXISTS ${CHANGE_TRIGGER_NAME} ON ${member.qualified}`).join(';\n'));
  const { rows } = await query(UNUSED_FUNCTIONS_SQL, [[...new Set(members.map((member) => member.schema))]]);
  const unused = (rows as Array<{ qualified: string }>).map((row) => `DROP FUNCTION IF EXISTS ${row.qualified}()`);
  if (unused.length > 0) await query(unused.join(';\n'));
}

/**
 * The payload is fixed at install time (TG_ARGV[0]) rather than built from
 * TG_TABLE_NAME: a write to a partition must announce the tree's root.
 */
function triggerFunctionSql(schema: string): string {
  return `CREATE OR REPLACE FUNCTION ${schema}.${CHANGE_FUNCTION_NAME}() RETURNS trigger LANGUAGE plpgsql AS $db_optimizer$
BEGIN
  PERFORM pg_catalog.pg_notify('${CHANGE_CHANNEL}', TG_ARGV[0]);
  RETURN NULL;
END
$db_optimizer$`;
}

async function resolveTargets(query: CatalogQuery, tables: string[], purpose: 'install' | 'remove'): Promise<NotificationTarget[]> {
  const relations = new RelationDirectory(query, Math.max(tables.length, 1), 0);
  const targets: NotificationTarget[] = [];
  for (const table of tables) {
    if (typeof table !== 'string' || table.trim() === '') throw new Error(INVALID_NOTIFICATION_TABLE(table));
    const dot = table.indexOf('.');
    const ref = dot < 0 ? { name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
    const relation = await relations.resolve(ref);
    if (!relation) {
      if (purpose === 'remove') continue;
      throw new Error(UNKNOWN_NOTIFICATION_TABLE(table));
    }
    if (relation.kind !== 'r' && relation.kind !== 'p') {
      throw new Error(NOT_A_NOTIFICATION_TABLE(table, RELATION_KINDS[relation.kind] ?? `relation of kind ${relation.kind}`));
    }
    const { rows } = await query(MEMBERS_SQL, [relation.members, relation.name]);
    targets.push({ canonical: relation.name, members: rows as MemberRow[] });
  }
  return targets;
}
