import type { QueryClassification } from './query-classification.interface';

/** A statement whose changes are now committed: what cache invalidation needs. */
export interface CommittedWrite {
  classification: QueryClassification;
  params: readonly unknown[];
}

/** Told about every committed write (autocommit statements, and transactions at COMMIT). */
export interface WriteObserver {
  afterCommit(writes: readonly CommittedWrite[]): Promise<void>;
}
