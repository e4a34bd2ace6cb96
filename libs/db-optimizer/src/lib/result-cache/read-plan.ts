import type { QueryOptions } from '../core/query-options.interface';
import type { StatementSafety } from '../classify/statement-safety';
import type { QueryClassification, RouteTarget } from '../core/query-classification.interface';
import { TIME_WORDS } from '../sql/sql-functions.constants';
import { cacheKey, DatabaseIdentity, memoryKey } from './cache-key';
import { INVALID_CACHE_TTL } from './result-cache.messages';
import { type StatementIdentity, statementIdentity } from './statement-identity';
import { encodeParamsForKey } from './typed-params';
import type { TableScope } from './coherence/version-change';
import { NOT_HELD } from '../sql/dependencies/cache-dependencies.interface';
import type { VersionCapture } from './coherence/version-map';

/** The dependency analyzer as the read path uses it (`CacheDependencyAnalyzer` fits). */
export interface ReadDependencySource {
  /** Tables and rows the read's result depends on; undefined when unknown (the read is not cached). */
  readDependencies(classification: QueryClassification, params: readonly unknown[]): Promise<{ tables: TableScope[] } | undefined>;
  /** The same from what the catalog holds now, without waiting; NOT_HELD when it must be asked. */
  heldReadDependencies?(classification: QueryClassification, params: readonly unknown[]): { tables: TableScope[] } | undefined | typeof NOT_HELD;
}

/** What deciding whether and how to cache a read needs. */
export interface ReadPlanner {
  identity: DatabaseIdentity;
  safetyOf(classification: QueryClassification): StatementSafety | Promise<StatementSafety>;
  dependencies: ReadDependencySource;
  capture(dependencies: readonly TableScope[]): VersionCapture;
}

/** What a read's shared key is built from, besides its versions (`capture.signature`). */
interface SharedKeyParts {
  identity: DatabaseIdentity;
  target: RouteTarget;
  /** `StatementIdentity.digest`. */
  digest: string;
  shape: 'raw' | undefined;
  params: string;
}

/** A cacheable read: its keys, built from the versions captured before it runs. */
export class ReadPlan {
  private shared: string | undefined;

  constructor(
    /** The key in this instance's memory and its single flights (`memoryKey()`); never Redis'. */
    readonly memoryKey: string,
    readonly capture: VersionCapture,
    private readonly parts: SharedKeyParts,
    /**
     * The position the caller requires (its consistency token, or its session's last write):
     * an entry is served only when its own position is at or past it.
     */
    readonly requiredLsn?: bigint,
  ) {}

  /** The key shared with every instance through Redis (`cacheKey`), built on first use: only reads that miss in memory need it. */
  get sharedKey(): string {
    if (this.shared === undefined) {
      const { identity, target, digest, shape, params } = this.parts;
      // Raw rows (the routing pool's) are another result of the same statement: NUL cannot occur in SQL text, so no clash.
      const sql = shape === undefined ? digest : `${digest}\u0000${shape}`;
      this.shared = cacheKey({ identity, target, sql, params, versions: this.capture.signature });
    }
    return this.shared;
  }
}

/**
 * Decides whether a read may be cached and builds its key. Undefined means "run it
 * uncached": a text the parser flags (locks, volatile or time functions, time literals, temp
 * or catalog tables), a time word among the parameters, a function, operator or cast that is
 * not immutable, parameters whose sent text is unknown, or unknown dependencies. A required
 * position (token or session) does not stop caching: it decides which entries may serve the
 * read (`entryCovers`), so a token newer than any write heard here is safe too (an entry older
 * than it is never served to it).
 *
 * Answers at once (no promise) when the catalog's answers are held, as they are for a
 * statement read before: a read served from memory then waits for nothing.
 */
export function planRead(
  planner: ReadPlanner,
  classification: QueryClassification,
  params: readonly unknown[],
  target: RouteTarget,
  requiredLsn: bigint | undefined,
  shape?: 'raw',
): ReadPlan | undefined | Promise<ReadPlan | undefined> {
  if (!classification.cacheable) return undefined;
  // A parameter 'now' / 'today' bound to a date/time becomes the time of the run, not a constant.
  if (params.some((param) => typeof param === 'string' && TIME_WORDS.test(param))) return undefined;
  const request: PlanRequest = { planner, classification, params, target, requiredLsn, shape };
  const safety = planner.safetyOf(classification);
  return safety instanceof Promise ? safety.then((known) => planSafe(request, known)) : planSafe(request, safety);
}

/** What `planRead` was asked, handed along its steps. */
interface PlanRequest {
  planner: ReadPlanner;
  classification: QueryClassification;
  params: readonly unknown[];
  target: RouteTarget;
  requiredLsn: bigint | undefined;
  shape: 'raw' | undefined;
}

function planSafe(request: PlanRequest, safety: StatementSafety): ReadPlan | undefined | Promise<ReadPlan | undefined> {
  if (!safety.deterministic) return undefined;
  const { planner, classification, params } = request;
  const statement = statementIdentity(classification);
  const paramsText = encodeParamsForKey(params);
  if (statement === undefined || paramsText === undefined) return undefined;
  const source = planner.dependencies;
  const held = source.heldReadDependencies === undefined ? NOT_HELD : source.heldReadDependencies(classification, params);
  if (held !== NOT_HELD) return planWith(request, statement, paramsText, held);
  return source.readDependencies(classification, params).then((found) => planWith(request, statement, paramsText, found));
}

function planWith(
  { planner, target, requiredLsn, shape }: PlanRequest,
  statement: StatementIdentity,
  paramsText: string,
  dependencies: { tables: TableScope[] } | undefined,
): ReadPlan | undefined {
  if (!dependencies) return undefined;
  // Captured now, before the query runs: a write committing meanwhile moves the versions, so the key goes stale with it.
  const capture = planner.capture(dependencies.tables);
  const key = memoryKey(statement.slot, shape, target, paramsText, capture.signature);
  return new ReadPlan(key, capture, { identity: planner.identity, target, digest: statement.digest, shape, params: paramsText }, requiredLsn);
}

/** The call's TTL in ms: `ttlSeconds`, else the module's default; 0 means "do not cache this call". */
export function ttlMsOf(options: QueryOptions, defaultSeconds: number): number {
  const seconds = options.ttlSeconds ?? defaultSeconds;
  if (seconds === 0) return 0;
  if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds)) throw new TypeError(INVALID_CACHE_TTL(seconds));
  return seconds * 1000;
}
