import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { LRUCache } from 'lru-cache';
import { SharedPositionRead } from './shared-position-read';
import { formatLsn, parseLsn, PRIMARY_ONLY_LSN } from '../core/lsn';
import { InvalidConsistencyTokenError } from '../core/errors/invalid-consistency-token.error';
import { INVALID_CONSISTENCY_TOKEN } from '../core/errors/messages';


/** Sessions remembered for read-your-writes; the least recent are forgotten first. */
const MAX_SESSIONS = 100_000;


/**
 * Remembers, per session key, the WAL position of its last write, so a later
 * read goes only to a server that has replayed past it. A consistency token is
 * that position as text, usable on any instance.
 */
@Injectable()
export class ConsistencyTracker {
  private readonly logger = new Logger(ConsistencyTracker.name);
  private readonly sessions = new LRUCache<string, bigint>({ max: MAX_SESSIONS });
  /** Position reads after commits, shared by writes that commit together. */
  readonly positionReads = new SharedPositionRead();
  private pipelinedCount = 0;
  /**
   * Writes committed without a readable WAL position since the lag monitor last read the
   * primary's: until it does, every replica read goes to the primary.
   */
  private unpositionedWrites = 0;
  /** Primary position read after the last unpositioned write: replicas serve reads once past it. */
  private floorLsn: bigint | undefined;

  /** Writes whose position was read in their own round trip (`PositionFollowUp`), not after it. */
  get pipelinedPositions(): number {
    return this.pipelinedCount;
  }

  /** Records a write's WAL position for the session; returns the token. */
  noteWrite(sessionKey: string | undefined, lsnText: string): string {
    const lsn = parseLsn(lsnText);
    if (lsn !== undefined && sessionKey !== undefined) {
      const previous = this.sessions.get(sessionKey);
      if (previous === undefined || lsn > previous) this.sessions.set(sessionKey, lsn);
    }
    return lsn === undefined ? lsnText : formatLsn(lsn);
  }

  /**
   * After a committed write (its client still checked out): records the position read in the
   * write's own round trip (`pipelinedLsn`), or else reads the primary's WAL insert position, shared
   * with writes that committed at the same time, and records it for the session (not on a
   * connection left in doubt, `connectionDoubt` saying why, which is about to be closed). A failure here
   * returns no token instead of an error: the write is committed, and an error would invite a
   * duplicate retry.
   */
  async tokenAfterCommit(client: PoolClient, sessionKey: string | undefined, pipelinedLsn?: string, connectionDoubt?: string): Promise<string | undefined> {
    if (pipelinedLsn !== undefined) {
      this.pipelinedCount++;
      return this.noteWrite(sessionKey, pipelinedLsn);
    }
    // A connection left in doubt by its pipelined read is not asked again: it is about to be closed.
    if (connectionDoubt !== undefined) return this.unpositioned(connectionDoubt);
    try {
      return this.noteWrite(sessionKey, await this.positionReads.after(client));
    } catch (error) {
      return this.unpositioned((error as Error).message);
    }
  }

  private unpositioned(reason: string): undefined {
    this.noteUnpositionedWrite();
    this.logger.warn(
      `Committed, but the WAL position could not be read (no consistency token): ${reason}. ` +
        'Reads go to the primary until a replica is known to have replayed past this moment.',
    );
    return undefined;
  }

  /** A write committed and its position is unknown: replica reads wait for the lag monitor's next primary position. */
  noteUnpositionedWrite(): void {
    this.unpositionedWrites++;
  }

  /**
   * The lag monitor read the primary's position: every write committed before the read is at
   * or before it. Writes noted as unpositioned before `since` (the count at the read's start)
   * are now covered by this position.
   */
  notePrimaryPosition(lsn: bigint, unpositionedBefore: number): void {
    if (unpositionedBefore === 0) return;
    if (this.floorLsn === undefined || lsn > this.floorLsn) this.floorLsn = lsn;
    this.unpositionedWrites -= Math.min(unpositionedBefore, this.unpositionedWrites);
  }

  /** How many unpositioned writes wait for a primary position now (pass it back to notePrimaryPosition). */
  get pendingUnpositioned(): number {
    return this.unpositionedWrites;
  }

  /**
   * The position a read must see: the later of the session's last write, the token, and the
   * floor left by writes whose position could not be read. While such a write waits for the
   * lag monitor, no replica can qualify (the primary answers).
   */
  requiredLsn(sessionKey: string | undefined, token: string | undefined): bigint | undefined {
    if (this.unpositionedWrites > 0) return PRIMARY_ONLY_LSN;
    let required = sessionKey === undefined ? undefined : this.sessions.get(sessionKey);
    if (token !== undefined) {
      const fromToken = parseLsn(token);
      if (fromToken === undefined) throw new InvalidConsistencyTokenError(INVALID_CONSISTENCY_TOKEN(token));
      if (required === undefined || fromToken > required) required = fromToken;
    }
    if (this.floorLsn !== undefined && (required === undefined || this.floorLsn > required)) required = this.floorLsn;
    return required;
  }
}
