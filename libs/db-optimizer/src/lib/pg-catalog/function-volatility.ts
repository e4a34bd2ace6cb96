import type { CatalogQuery } from './catalog-query';
import { AsyncMemo } from '../core/async-memo';

/** Runs one catalog query; any pg-like `query` fits (`pool.query.bind(pool)`, a checked-out client...). */


/** pg_proc.provolatile: immutable, stable, volatile. */
export type Volatility = 'i' | 's' | 'v';

/** What the catalog says about the functions a statement calls. */
export interface VolatilityAssessment {
  /** A VOLATILE function (or an unknown one) may change data: the statement counts as a write. */
  mayWrite: boolean;
  /** May run on a replica: no volatile or parallel-unsafe function, apart from the harmless ones. */
  readSafe: boolean;
  /** Same result for the same data: every function immutable. Required for result caching. */
  deterministic: boolean;
  /** Why not, naming the first offending function. */
  reason?: string;
}

/** What pg_proc says about one name, all overloads together (the worst of them). */
interface FunctionEntry {
  volatility: Volatility;
  parallelUnsafe: boolean;
}

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
       coalesce(bool_or(p.proparallel = 'u'), false) AS parallel_unsafe
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
  parallel_unsafe: boolean;
}

/**
 * Looks up in pg_proc how volatile the functions of a statement are, once per
 * name, and caches the answer. A function is read-unsafe when it is VOLATILE
 * or PARALLEL UNSAFE (which user functions are unless declared otherwise),
 * unless it is a known harmless built-in such as random(); a name pg_proc
 * does not know is read-unsafe too. Concurrent look-ups of one name share a
 * single catalog query.
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

  /** @param maxEntries how many function names to remember. */
  constructor(
    private readonly query: CatalogQuery,
    maxEntries = 2000,
  ) {
    this.entries = new AsyncMemo(maxEntries, 0);
  }

  /** Function names cached now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Assesses the functions one statement calls (names as the classifier gives
   * them: lower case, `schema.name` when qualified). Rejects when the catalog
   * query fails; nothing is cached then.
   */
  async assess(functions: readonly string[]): Promise<VolatilityAssessment> {
    const names = [...new Set(functions.map((name) => name.toLowerCase()))];
    const entries = await Promise.all(names.map((name) => this.lookup(name)));
    let deterministic = true;
    let readSafe = true;
    let mayWrite = false;
    let reason: string | undefined;
    for (let index = 0; index < names.length; index++) {
      const name = names[index];
      const entry = entries[index];
      if (entry === UNKNOWN) return { readSafe: false, deterministic: false, mayWrite: true, reason: `unknown function ${name}()` };
      if (entry.volatility !== 'i' && deterministic) {
        deterministic = false;
        reason = `${name}() is ${entry.volatility === 'v' ? 'VOLATILE' : 'STABLE'}`;
      }
      if (isHarmless(name)) continue;
      // Only VOLATILE functions may write (PostgreSQL refuses writes in STABLE and IMMUTABLE ones).
      if (entry.volatility === 'v') {
        readSafe = false;
        mayWrite = true;
        reason = `${name}() is VOLATILE`;
      } else if (entry.parallelUnsafe && readSafe) {
        readSafe = false;
        reason = `${name}() is PARALLEL UNSAFE`;
      }
    }
    return reason === undefined ? { readSafe, deterministic, mayWrite } : { readSafe, deterministic, mayWrite, reason };
  }

  /** Cached volatility of a name; undefined when not looked up yet or unknown to pg_proc. */
  volatilityOf(name: string): Volatility | undefined {
    const entry = this.entries.peek(name.toLowerCase());
    return entry === undefined || entry === UNKNOWN ? undefined : entry.volatility;
  }

  /** Forgets every answer, e.g. after functions were created or altered. */
  clear(): void {
    this.entries.clear();
  }

  private lookup(name: string): Promise<FunctionEntry | typeof UNKNOWN> {
    return this.entries.get(name, () => this.fetch(name));
  }

  private async fetch(name: string): Promise<FunctionEntry | typeof UNKNOWN> {
    const { schema, proname } = splitName(name);
    const { rows } = await this.query(LOOKUP_SQL, [proname, schema ?? null]);
    const row = rows[0] as LookupRow | undefined;
    if (!row || row.overloads === 0) return UNKNOWN;
    const volatility: Volatility = row.volatile ? 'v' : row.stable ? 's' : 'i';
    return { volatility, parallelUnsafe: row.parallel_unsafe };
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
