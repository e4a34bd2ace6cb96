import { AsyncMemo } from '../core/async-memo';
import type { CatalogQuery } from './catalog-query';
import type { VolatilityAssessment } from './function-volatility';

/**
 * Functions behind user-defined operators of one name (pg_operator.oprcode), the worst of every
 * overload, since the parser cannot tell which one a statement uses. Built-in operators
 * (pg_catalog) are left out: their STABLE members depend only on settings (TimeZone, DateStyle)
 * that no pooled connection can change (session SET is refused), and none is VOLATILE.
 */
const OPERATOR_SQL = `
SELECT coalesce(bool_or(p.provolatile = 'v'), false) AS volatile,
       coalesce(bool_or(p.provolatile = 's'), false) AS stable
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
WHERE o.oprname = $1 AND n.nspname <> 'pg_catalog' AND ($2::text IS NULL OR n.nspname = $2::text)`;

/**
 * Functions a cast to a type of this name may call: user-defined cast functions (pg_cast.castfunc)
 * and, for a user-defined type, its input function (I/O conversion casts and literals).
 */
const CAST_SQL = `
SELECT coalesce(bool_or(p.provolatile = 'v'), false) AS volatile,
       coalesce(bool_or(p.provolatile = 's'), false) AS stable
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
JOIN pg_catalog.pg_proc p ON p.oid IN (
  SELECT c.castfunc FROM pg_catalog.pg_cast c WHERE c.casttarget = t.oid AND c.castfunc <> 0
  UNION ALL SELECT t.typinput WHERE tn.nspname <> 'pg_catalog')
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE lower(t.typname) = $1 AND ($2::text IS NULL OR lower(tn.nspname) = $2::text) AND pn.nspname <> 'pg_catalog'`;

type Worst = 'i' | 's' | 'v';

/**
 * Looks up what user-defined operators and casts call (pg_operator, pg_cast, pg_type), once per
 * name for `ttlMs`: a function hidden behind `a === b` or `x::money2` counts like a call.
 *
 * @example
 * const catalog = new OperatorCastCatalog(query, 2000, 60_000);
 * await catalog.assess(['public.==='], []); // { deterministic: false, mayWrite: true, readSafe: false, reason: 'operator public.=== calls a VOLATILE function' }
 */
export class OperatorCastCatalog {
  private readonly entries: AsyncMemo<string, Worst>;

  constructor(
    private readonly query: CatalogQuery,
    maxEntries = 2000,
    ttlMs = 60_000,
  ) {
    this.entries = new AsyncMemo(maxEntries, ttlMs);
  }

  /** @param via runs the look-ups on another connection (a transaction's own). */
  async assess(operators: readonly string[], castTypes: readonly string[], via: CatalogQuery = this.query): Promise<VolatilityAssessment> {
    const lookups = [
      ...operators.filter(userDefinable).map((name) => ({ label: `operator ${name}`, kind: 'op' as const, name })),
      ...castTypes.filter(userDefinable).map((name) => ({ label: `cast to ${name}`, kind: 'cast' as const, name })),
    ];
    // On a pool, in parallel; on one connection (a transaction's), one after another: a client runs one query at a time.
    const results: Worst[] = [];
    if (via === this.query) results.push(...(await Promise.all(lookups.map((lookup) => this.lookup(lookup.kind, lookup.name, via)))));
    else for (const lookup of lookups) results.push(await this.lookup(lookup.kind, lookup.name, via));
    let assessment: VolatilityAssessment = { readSafe: true, deterministic: true, mayWrite: false, mayKeepSessionState: false };
    results.forEach((worst, index) => {
      if (worst === 'v') {
        assessment = {
          readSafe: false,
          deterministic: false,
          mayWrite: true,
          mayKeepSessionState: true,
          reason: `${lookups[index].label} calls a VOLATILE function`,
        };
      } else if (worst === 's' && assessment.deterministic) {
        assessment = { ...assessment, deterministic: false, reason: `${lookups[index].label} calls a STABLE function` };
      }
    });
    return assessment;
  }

  clear(): void {
    this.entries.clear();
  }

  private lookup(kind: 'op' | 'cast', name: string, via: CatalogQuery): Promise<Worst> {
    return this.entries.get(`${kind}:${name}`, async () => {
      const parts = name.split('.');
      const schema = parts.length > 1 ? parts[parts.length - 2] : null;
      const { rows } = await via(kind === 'op' ? OPERATOR_SQL : CAST_SQL, [parts[parts.length - 1], schema]);
      const row = rows[0] as { volatile: boolean; stable: boolean } | undefined;
      return row?.volatile ? 'v' : row?.stable ? 's' : 'i';
    });
  }
}

/** Names qualified with pg_catalog are built-ins by definition: nothing to look up. */
function userDefinable(name: string): boolean {
  return !name.startsWith('pg_catalog.');
}
