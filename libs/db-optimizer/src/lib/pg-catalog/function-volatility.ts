import type { CatalogQuery } from './catalog-query';
import { AsyncMemo } from '../core/async-memo';

/** pg_proc.provolatile: immutable, stable, volatile. */
export type Volatility = 'i' | 's' | 'v';

/** What the catalog says about the functions a statement calls. */
export interface VolatilityAssessment {
  /** A VOLATILE function (or an unknown one) may change data: the statement counts as a write. */
  mayWrite: boolean;
  /** Calls a VOLATILE function that is not a built-in (or an unknown one): it may change session state unseen. */
  mayKeepSessionState: boolean;
  /** May run on a replica: no volatile function, apart from the harmless ones. */
  readSafe: boolean;
  /** Same result for the same data: every function immutable. Required for result caching. */
  deterministic: boolean;
  /** Why not, naming the first offending function. */
  reason?: string;
}

/** What pg_proc says about one name, all overloads together (the worst of them). */
interface FunctionEntry {
  volatility: Volatility;
  /** Every overload lives in pg_catalog: a built-in, never remembered as writing for a statement that also calls user functions. */
  builtin: boolean;
}

/** What an unknown function, or one seen writing, may do: anything. */
const WRITES = { readSafe: false, deterministic: false, mayWrite: true, mayKeepSessionState: true } as const;

/** Cached marker for a name pg_proc does not know. */
const UNKNOWN = 'unknown';

/**
 * Volatile built-ins that neither write nor hold state: fine on a replica.
 * Honoured only for bare or pg_catalog-qualified names (`public.random` is someone's own function).
 */
const HARMLESS_VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
]);

// Overloads are folded so one row answers; the worst of them counts.
// Names compare lower-cased because the classifier lower-cases them.
const LOOKUP_SQL = `
SELECT count(*)::int AS overloads,
       coalesce(bool_or(p.provolatile = 'v'), false) AS volatile,
       coalesce(bool_or(p.provolatile = 's'), false) AS stable,
       coalesce(bool_and(n.nspname = 'pg_catalog'), false) AS builtin
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE lower(p.proname) = $1
  AND CASE WHEN $2::text IS NULL
           THEN n.nspname = ANY (current_schemas(true)) OR n.nspname IN ('pg_catalog', 'public')
           ELSE lower(n.nspname) = $2::text
      END`;

interface LookupRow {
  overloads: number;
  volatile: boolean;
  stable: boolean;
  builtin: boolean;
}

/**
 * Looks up in pg_proc how volatile the functions of a statement are, once per
 * name, and caches the answer for `ttlMs` (so DDL run outside the module is
 * seen), "not found" answers included. Routing is by volatility alone: a
 * VOLATILE function may write, so the statement counts as a write (unless the
 * function is a known harmless built-in such as random()); STABLE and
 * IMMUTABLE functions may run on a replica, whatever their PARALLEL marking
 * (every CREATE FUNCTION is PARALLEL UNSAFE by default). PostgreSQL refuses
 * data changes in STABLE and IMMUTABLE SQL and PL/pgSQL functions; one that
 * still writes (through a volatile callee, nextval...) fails on a standby with
 * SQLSTATE 25006, and `rememberWriting()` then keeps it on the primary. A name
 * pg_proc does not know is read-unsafe too. Concurrent look-ups of one name
 * share a single catalog query.
 *
 * Bare names are matched in the search path, pg_catalog and public; a name
 * with a schema only in that schema. When any overload is volatile the name
 * counts as volatile: the parser cannot tell which overload a call picks.
 *
 * @example
 * const catalog = new FunctionVolatilityCatalog((sql, params) => pool.query(sql, params));
 * await catalog.assess(['now', 'lower']); // { readSafe: true, deterministic: false, mayWrite: false, reason: 'now() is STABLE' }
 * @publicApi
 */
export class FunctionVolatilityCatalog {
  // Concurrent look-ups of one name share a query; an answer fetched across clear() is not kept.
  private readonly entries: AsyncMemo<string, FunctionEntry | typeof UNKNOWN>;
  /** Functions seen failing a replica with 25006: they write, whatever pg_proc says. Kept until clear(). */
  private readonly writing = new Set<string>();

  /**
   * @param maxEntries how many function names to remember.
   * @param ttlMs how long an answer (found or not) is trusted; 0 keeps answers until clear().
   */
  constructor(
    private readonly query: CatalogQuery,
    maxEntries = 2000,
    ttlMs = 60_000,
  ) {
    this.entries = new AsyncMemo(maxEntries, ttlMs);
  }

  /** Function names cached now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Assesses the functions one statement calls (names as the classifier gives
   * them: lower case, `schema.name` when qualified). Rejects when the catalog
   * query fails; nothing is cached then. `via` runs the look-ups on another
   * connection (a transaction's own, so it never waits for a second one).
   */
  private async lookupInTurn(names: readonly string[], via: CatalogQuery): Promise<Array<FunctionEntry | typeof UNKNOWN>> {
    const entries: Array<FunctionEntry | typeof UNKNOWN> = [];
    for (const name of names) entries.push(await this.lookup(name, via));
    return entries;
  }

  async assess(functions: readonly string[], via: CatalogQuery = this.query): Promise<VolatilityAssessment> {
    const names = [...new Set(functions.map((name) => name.toLowerCase()))];
    // On a pool, in parallel; on one connection (a transaction's), one after another: a client runs one query at a time.
    const entries = via === this.query ? await Promise.all(names.map((name) => this.lookup(name, via))) : await this.lookupInTurn(names, via);
    let deterministic = true;
    let readSafe = true;
    let mayWrite = false;
    let mayKeepSessionState = false;
    let reason: string | undefined;
    for (let index = 0; index < names.length; index++) {
      const name = names[index];
      const entry = entries[index];
      if (entry === UNKNOWN) return { ...WRITES, reason: `unknown function ${name}()` };
      if (this.writing.has(name)) return { ...WRITES, reason: `${name}() wrote on a replica (SQLSTATE 25006)` };
      if (entry.volatility !== 'i' && deterministic) {
        deterministic = false;
        reason = `${name}() is ${entry.volatility === 'v' ? 'VOLATILE' : 'STABLE'}`;
      }
      if (isHarmless(name)) continue;
      // Only VOLATILE functions may write (PostgreSQL refuses writes in STABLE and IMMUTABLE ones).
      if (entry.volatility === 'v') {
        readSafe = false;
        mayWrite = true;
        if (!entry.builtin) mayKeepSessionState = true;
        reason = `${name}() is VOLATILE`;
      }
    }
    const assessment = { readSafe, deterministic, mayWrite, mayKeepSessionState };
    return reason === undefined ? assessment : { ...assessment, reason };
  }

  /** Cached volatility of a name; undefined when not looked up yet or unknown to pg_proc. */
  volatilityOf(name: string): Volatility | undefined {
    const entry = this.entries.peek(name.toLowerCase());
    return entry === undefined || entry === UNKNOWN ? undefined : entry.volatility;
  }

  /**
   * A statement calling `functions` failed on a replica with 25006 (read-only transaction): its
   * user functions are remembered as writing (built-ins are not blamed), until clear().
   * Returns the names remembered.
   */
  rememberWriting(functions: readonly string[]): string[] {
    const blamed = functions
      .map((name) => name.toLowerCase())
      .filter((name) => {
        const entry = this.entries.peek(name);
        return entry === undefined || entry === UNKNOWN || !entry.builtin;
      });
    for (const name of blamed) this.writing.add(name);
    return blamed;
  }

  /** Forgets every answer, e.g. after functions were created or altered. */
  clear(): void {
    this.entries.clear();
    this.writing.clear();
  }

  private lookup(name: string, via: CatalogQuery): Promise<FunctionEntry | typeof UNKNOWN> {
    return this.entries.get(name, () => this.fetch(name, via));
  }

  private async fetch(name: string, via: CatalogQuery): Promise<FunctionEntry | typeof UNKNOWN> {
    const { schema, proname } = splitName(name);
    const { rows } = await via(LOOKUP_SQL, [proname, schema ?? null]);
    const row = rows[0] as LookupRow | undefined;
    if (!row || row.overloads === 0) return UNKNOWN;
    const volatility: Volatility = row.volatile ? 'v' : row.stable ? 's' : 'i';
    return { volatility, builtin: row.builtin };
  }
}

/** `a.b.c` is catalog.schema.function: only the last two parts matter. */
function splitName(name: string): { schema?: string; proname: string } {
  const parts = name.split('.');
  const proname = parts[parts.length - 1];
  return parts.length > 1 ? { schema: parts[parts.length - 2], proname } : { proname };
}

function isHarmless(name: string): boolean {
  const { schema, proname } = splitName(name);
  return (schema === undefined || schema === 'pg_catalog') && HARMLESS_VOLATILE.has(proname);
}
