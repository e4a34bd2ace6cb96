import { LRUCache } from 'lru-cache';
import type { TableRef } from '../core/query-classification.interface';
import { AsyncMemo } from '../core/async-memo';
import { tableRefKey } from '../core/table-ref-key';
import { NOT_HELD } from '../sql/dependencies/cache-dependencies.interface';
import { RESOLVE_SQL, TREE_SQL } from './catalog-sql';
import type { CatalogQuery } from './catalog-query';

/** One inheritance tree (or a lone relation), known by its representative. */
export interface RelationInfo {
  /** Canonical `schema.name` of the representative (the root). */
  name: string;
  /** Oid of the representative. */
  oid: string;
  /** pg_class.relkind of the representative: r table, p partitioned, v view, m matview, f foreign... */
  kind: string;
  /** Oids of every member, the representative included. */
  members: string[];
  /** Some member has row-level security enabled: what a read returns depends on who reads. */
  rowSecurity: boolean;
  /** Some member is a foreign table: its rows change where no statement seen here changes them. */
  foreignMember: boolean;
}

interface TreeRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  row_security: boolean;
  is_root: boolean;
}

/** Cached marker of a name no relation answers to. */
const MISSING = '';

/** Cached marker of an oid that names nothing (dropped since). */
const GONE: RelationInfo = Object.freeze({ name: '', oid: '', kind: '', members: [], rowSecurity: false, foreignMember: false });

/**
 * Maps the names statements use to canonical relations, once per name and
 * once per tree: loading one member registers every member, so a
 * partitioned table with many partitions is walked once.
 */
export class RelationDirectory {
  private readonly oidsByName: AsyncMemo<string, string>;
  private readonly byOid: AsyncMemo<string, RelationInfo>;
  private readonly byName: LRUCache<string, RelationInfo>;

  constructor(
    private readonly query: CatalogQuery,
    maxEntries: number,
    ttlMs: number,
  ) {
    this.oidsByName = new AsyncMemo(maxEntries, ttlMs);
    this.byOid = new AsyncMemo(maxEntries, ttlMs);
    this.byName = new LRUCache({ max: maxEntries, ttl: ttlMs > 0 ? ttlMs : undefined });
  }

  /** The relation a statement means by `ref` (unqualified: under the search_path), or undefined. */
  async resolve(ref: TableRef): Promise<RelationInfo | undefined> {
    const oid = await this.oidsByName.get(tableRefKey(ref), async () => {
      const { rows } = await this.query(RESOLVE_SQL, [ref.schema ?? null, ref.name]);
      const found = (rows[0] as { oid: string | null } | undefined)?.oid;
      return found ?? MISSING;
    });
    return oid === MISSING ? undefined : this.ofOid(oid);
  }

  /** The relation of a canonical name (as returned by resolve), or undefined when it no longer exists. */
  async ofName(name: string): Promise<RelationInfo | undefined> {
    const known = this.byName.get(name);
    if (known) return known;
    // Not seen lately: read the name back. A schema holding a dot resolves to nothing, which callers treat as unknown.
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    const info = await this.resolve({ schema: name.slice(0, dot), name: name.slice(dot + 1) });
    return info?.name === name ? info : undefined;
  }

  /** What `resolve` answers when both of its answers are held, without waiting; else NOT_HELD. */
  heldResolve(ref: TableRef): RelationInfo | undefined | typeof NOT_HELD {
    const oid = this.oidsByName.peek(tableRefKey(ref));
    if (oid === undefined) return NOT_HELD;
    if (oid === MISSING) return undefined;
    const info = this.byOid.peek(oid);
    return info === undefined ? NOT_HELD : relationOf(info);
  }

  /** What `ofName` answers when the name's relation is held, without waiting; else NOT_HELD. */
  heldOfName(name: string): RelationInfo | typeof NOT_HELD {
    return this.byName.get(name) ?? NOT_HELD;
  }

  /** The relation tree an oid belongs to, or undefined when the oid is gone. */
  ofOid(oid: string): Promise<RelationInfo | undefined> {
    const generation = this.byOid.generationNow;
    return this.byOid
      .get(oid, async () => (await this.loadTree(oid, generation)) ?? GONE)
      .then(relationOf);
  }

  clear(): void {
    this.oidsByName.clear();
    this.byOid.clear();
    this.byName.clear();
  }

  private async loadTree(oid: string, generation: number): Promise<RelationInfo | undefined> {
    const { rows } = await this.query(TREE_SQL, [oid]);
    const members = rows as TreeRow[];
    const root = members[0];
    if (!root) return undefined;
    const info: RelationInfo = {
      name: `${root.schema}.${root.name}`,
      oid: root.oid,
      kind: root.kind,
      members: members.map((member) => member.oid),
      rowSecurity: members.some((member) => member.row_security),
      foreignMember: members.some((member) => member.kind === 'f'),
    };
    for (const member of members) this.byOid.setIfCurrent(member.oid, info, generation);
    if (generation === this.byOid.generationNow) this.byName.set(info.name, info);
    return info;
  }
}

/** A tree as the memo keeps it (GONE for an oid that names nothing: a memo cannot keep undefined) as callers get it. */
function relationOf(info: RelationInfo): RelationInfo | undefined {
  return info === GONE ? undefined : info;
}
