/**
 * The catalog queries of dependency analysis. Every name is schema-qualified
 * (pg_catalog.*) so a user object cannot shadow it, and oids travel as int8
 * text so they never lose precision in JavaScript.
 */

/** $1 schema or null, $2 name, both as stored (unquoted): the oid the name means under the connection's search_path. */
export const RESOLVE_SQL = `
SELECT pg_catalog.to_regclass(CASE WHEN $1::text IS NULL THEN pg_catalog.quote_ident($2::text)
                                   ELSE pg_catalog.quote_ident($1::text) || '.' || pg_catalog.quote_ident($2::text) END
       )::oid::int8 AS oid`;

/**
 * $1 oid: every relation of its inheritance tree (partitions and legacy
 * inheritance, walked both ways, multiple inheritance included), the
 * representative first: a root, the first by name when there are several.
 */
export const TREE_SQL = `
WITH RECURSIVE tree(oid) AS (
  SELECT $1::oid
  UNION
  SELECT CASE WHEN i.inhrelid = t.oid THEN i.inhparent ELSE i.inhrelid END
  FROM tree t JOIN pg_catalog.pg_inherits i ON t.oid IN (i.inhrelid, i.inhparent)
)
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       c.relrowsecurity AS row_security,
       NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) AS is_root
FROM tree t
JOIN pg_catalog.pg_class c ON c.oid = t.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
ORDER BY is_root DESC, n.nspname, c.relname`;

/** $1 oid: primary-key columns in key order, with their type, whether their collation is deterministic, whether they are generated. */
export const PRIMARY_KEY_SQL = `
SELECT a.attname AS name, t.typname AS type, tn.nspname AS type_schema,
       coalesce(co.collisdeterministic, true) AS deterministic, a.attgenerated <> '' AS generated
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE i.indrelid = $1::oid AND i.indisprimary
ORDER BY k.position`;

/** $1 view oid: its definition and the relations its rewrite rule depends on. */
export const VIEW_SQL = `
SELECT pg_catalog.pg_get_viewdef($1::oid) AS definition,
       ARRAY(SELECT DISTINCT d.refobjid::int8
             FROM pg_catalog.pg_rewrite r
             JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid
             WHERE r.ev_class = $1::oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
               AND d.refobjid <> $1::oid) AS bases`;

/** $1 oid[]: foreign keys referencing these relations, with their ON DELETE / ON UPDATE actions. */
export const REFERENCING_SQL = `
SELECT c.conrelid::int8 AS oid, c.confdeltype AS on_delete, c.confupdtype AS on_update
FROM pg_catalog.pg_constraint c
WHERE c.contype = 'f' AND c.confrelid = ANY ($1::oid[])`;

/** $1 oid[]: enabled user triggers (not the internal ones behind foreign keys). */
export const TRIGGERS_SQL = `
SELECT t.tgname AS name, t.tgtype AS type, t.tgfoid::int8 AS function
FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = ANY ($1::oid[]) AND NOT t.tgisinternal AND t.tgenabled <> 'D'`;

/** $1 oid[]: rewrite rules other than a view's own SELECT rule. */
export const RULES_SQL = `
SELECT r.rulename AS name, r.ev_type AS event
FROM pg_catalog.pg_rewrite r
WHERE r.ev_class = ANY ($1::oid[]) AND r.rulename <> '_RETURN'`;

/** $1 lower-case name, $2 lower-case schema or null: the oids of every overload the name may call. */
export const FUNCTION_OIDS_SQL = `
SELECT p.oid::int8 AS oid
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE lower(p.proname) = $1
  AND CASE WHEN $2::text IS NULL
           THEN n.nspname = ANY (pg_catalog.current_schemas(true)) OR n.nspname IN ('pg_catalog', 'public')
           ELSE lower(n.nspname) = $2::text
      END`;

/** $1 oid[]: what function analysis needs; the full definition only where it will be parsed. */
export const FUNCTIONS_SQL = `
SELECT p.oid::int8 AS oid, n.nspname AS schema, p.proname AS name, p.provolatile AS volatility, p.prokind AS kind,
       l.lanname AS language, p.prosrc AS source, p.proconfig AS config,
       CASE WHEN p.prokind IN ('f', 'p') AND p.provolatile = 'v' AND l.lanname IN ('sql', 'plpgsql')
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
               WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e') AS "fromExtension"
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.oid = ANY ($1::oid[])`;

/** $1 lower-case names: whether every one exists and all their overloads are IMMUTABLE (for view definitions). */
export const IMMUTABLE_FUNCTIONS_SQL = `
SELECT count(DISTINCT lower(p.proname))::int AS found, coalesce(bool_and(p.provolatile = 'i'), true) AS immutable
FROM pg_catalog.pg_proc p
WHERE lower(p.proname) = ANY ($1::text[])`;
