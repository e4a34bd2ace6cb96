import { Logger } from '@nestjs/common';
import type { CommittedWrite } from '../core/committed-write.interface';
import type { QueryClassification } from '../core/query-classification.interface';
import { parseLsn } from '../core/lsn';
import { INVALIDATION_FAILED } from './result-cache.messages';
import type { VersionChange } from './coherence/version-change';
import type { VersionCoordinator } from './coherence/version-coordinator';
import { mergeWriteEffects, StatementEffects, withUnpositionedMark } from './write-effects';

/** The dependency analyzer as the write path uses it (`CacheDependencyAnalyzer` fits). */
export interface WriteEffectSource {
  writeEffects(classification: QueryClassification, params: readonly unknown[]): Promise<StatementEffects & { reason?: string }>;
}

/**
 * Turns committed writes into one version bump. It never throws: the write has
 * committed, so an analysis failure drops everything instead of failing the caller.
 */
export class CacheInvalidator {
  private readonly logger = new Logger(CacheInvalidator.name);

  /**
   * @param unpositionedMark `ConsistencyTracker.unpositionedMark`: read when a write comes without
   * a token, it numbers that write if its position could not be read (0 when none ever was).
   */
  constructor(
    private readonly effects: WriteEffectSource,
    private readonly coordinator: VersionCoordinator,
    private readonly unpositionedMark: () => number,
  ) {}

  /** @param consistencyToken WAL position after the commit ("16/B374D848"), when replicas exist. */
  async afterCommit(writes: readonly CommittedWrite[], consistencyToken?: string): Promise<void> {
    if (writes.length === 0) return;
    const lsn = consistencyToken === undefined ? undefined : parseLsn(consistencyToken);
    // No token with replicas: the write was numbered as unpositioned before this (a later number is as safe).
    const mark = consistencyToken === undefined ? this.unpositionedMark() : 0;
    await this.apply(withUnpositionedMark(await this.changeOf(writes, lsn), mark === 0 ? undefined : mark));
  }

  /** Applies a change that did not come from a statement (outside writes heard through notifications). */
  async apply(change: Omit<VersionChange, 'stamp'>): Promise<void> {
    if (!change.flushAll && change.tables.length === 0) return;
    try {
      await this.coordinator.commit(change);
    } catch (error) {
      // commit() falls back to local stamps itself; this is the last guard of "never throws".
      this.logger.error(`Applying a version change failed: ${(error as Error).message}`);
      this.coordinator.applyLocally(withUnpositionedMark({ flushAll: true, tables: [], lsn: change.lsn }, change.unpositionedMark));
    }
  }

  private async changeOf(writes: readonly CommittedWrite[], lsn: bigint | undefined): Promise<Omit<VersionChange, 'stamp'>> {
    try {
      const effects = await Promise.all(writes.map((write) => this.effects.writeEffects(write.classification, write.params)));
      const flush = effects.find((effect) => effect.flushAll);
      if (flush) this.logger.debug(`A committed write drops every cached result: ${flush.reason ?? 'its effects cannot be known'}.`);
      return mergeWriteEffects(effects, lsn);
    } catch (error) {
      this.logger.error(INVALIDATION_FAILED((error as Error).message));
      return { flushAll: true, tables: [], lsn };
    }
  }
}
