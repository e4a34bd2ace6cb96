import type { QueryClassification } from '../core/query-classification.interface';

/** What the catalog adds to the parser's view of a statement. */
export interface StatementSafety {
  /** May run on a replica: no function that may write or keep session state. */
  readSafe: boolean;
  /** Same result for the same data: only immutable functions. Required for result caching. */
  deterministic: boolean;
  /** Calls a VOLATILE (or unknown) function, which may change data: treat the statement as a write. */
  mayWrite: boolean;
  /**
   * Calls a VOLATILE user function (or an unknown one), which may change session state the
   * parser cannot see (set_config(..., false), session advisory locks...): the connection is
   * reset (`DISCARD ALL`) before it goes back to the pool.
   */
  mayKeepSessionState: boolean;
  reason?: string;
}

/** A statement that calls no function at all. */
export const NO_FUNCTIONS: StatementSafety = { readSafe: true, deterministic: true, mayWrite: false, mayKeepSessionState: false };

/**
 * Whether a statement changes data: the parser says it writes (DML, DDL, data-modifying
 * CTE, write function...), or it calls a VOLATILE or unknown function. Such a statement
 * gets a consistency token, invalidates the cache at commit, and runs alone in batches.
 */
export function changesData(classification: QueryClassification, safety: StatementSafety): boolean {
  return classification.target === 'primary' || classification.queryType === 'WRITE' || safety.mayWrite;
}
