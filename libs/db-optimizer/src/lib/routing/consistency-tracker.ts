import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { LRUCache } from 'lru-cache';
import { SharedPositionRead } from './shared-position-read';
import { formatLsn, laterLsn, parseLsn, PRIMARY_ONLY_LSN } from '../core/lsn';
import { InvalidConsistencyTokenError } from '../core/errors/invalid-consistency-token.error';
import { INVALID_CONSISTENCY_TOKEN, UNPOSITIONED_WRITE } from '../core/errors/messages';


/** Sessions remembered for read-your-writes; the least recent are forgotten first. */
const MAX_SESSIONS = 100_000;


/**
 * Remembers, per session key, the WAL position of its last write, so a later
 * read goes only to a server that has replayed past it. A consistency token is
 * that position as text, usable on any instance.
 *
 * A write can commit without a readable position (the read after it was cut off). Only the
 * reads that must see it wait for the primary: its session's, here, and cached reads of the
 * rows it wrote, whose versions carry its number (`unpositionedMark`, `positionCovering`).
 * Once the lag monitor reads a primary position after it, that position stands for the write's.
 */
@Injectable()
export class ConsistencyTracker {
  private readonly logger = new Logger(ConsistencyTracker.name);
  private readonly sessions = new LRUCache<string, bigint>({ max: MAX_SESSIONS });
  /** Position reads after commits, shared by writes that commit together. */
  readonly positionReads = new SharedPositionRead();
  private pipelinedCount = 0;
  /** Unpositioned writes so far, numbered: the lag monitor covers them up to a number (`notePrimaryPosition`). */
  private unpositionedCount = 0;
  /** The highest of those numbers a primary position read after them covers. */
  private coveredCount = 0;
  /** Sessions whose last unpositioned write is not covered yet, with its number: their reads need the primary. */
  private readonly uncoveredSessions = new Map<string, number>();
  /** Set when more sessions waited than are remembered: until that number is covered, every read needs the primary. */
  private everyReadUntil = 0;
  /** The latest primary position read after unpositioned writes: it stands for all of them once covered. */
  private floorLsn: bigint | undefined;

  /** Writes whose position was read in their own round trip (`PositionFollowUp`), not after it. */
  get pipelinedPositions(): number {
    return this.pipelinedCount;
  }

  /** Records a write's WAL position for the session; returns the token. */
  noteWrite(sessionKey: string | undefined, lsnText: string): string {
    const lsn = parseLsn(lsnText);
    if (lsn !== undefined && sessionKey !== undefined) this.raiseSession(sessionKey, lsn);
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
    if (connectionDoubt !== undefined) return this.unpositioned(sessionKey, connectionDoubt);
    try {
      return this.noteWrite(sessionKey, await this.positionReads.after(client));
    } catch (error) {
      return this.unpositioned(sessionKey, (error as Error).message);
    }
  }

  private unpositioned(sessionKey: string | undefined, reason: string): undefined {
    this.noteUnpositionedWrite(sessionKey);
    this.logger.warn(UNPOSITIONED_WRITE(reason, sessionKey !== undefined));
    return undefined;
  }

  /**
   * A write committed and its position is unknown: the session's reads (and, through the
   * versions, cached reads of what it wrote) wait for the lag monitor's next primary position.
   */
  noteUnpositionedWrite(sessionKey?: string): void {
    const number = ++this.unpositionedCount;
    if (sessionKey === undefined) return;
    this.uncoveredSessions.delete(sessionKey);
    if (this.uncoveredSessions.size < MAX_SESSIONS) this.uncoveredSessions.set(sessionKey, number);
    else this.everyReadUntil = number;
  }

  /** The number of the latest unpositioned write: read it before a primary position, pass it to `notePrimaryPosition`. */
  get unpositionedMark(): number {
    return this.unpositionedCount;
  }

  /**
   * The lag monitor read the primary's position `lsn`, having read `mark` (`unpositionedMark`)
   * before: every write numbered up to `mark` committed before the read, so `lsn` covers it.
   * Its sessions then need that position instead of the primary.
   */
  notePrimaryPosition(lsn: bigint, mark: number): void {
    if (mark <= this.coveredCount) return;
    this.coveredCount = mark;
    this.floorLsn = laterLsn(this.floorLsn, lsn);
    for (const [sessionKey, number] of this.uncoveredSessions) {
      if (number > mark) continue;
      this.uncoveredSessions.delete(sessionKey);
      this.raiseSession(sessionKey, lsn);
    }
  }

  /**
   * The position a load must reach to include the unpositioned writes numbered up to `mark`:
   * none qualifies (`PRIMARY_ONLY_LSN`) until the lag monitor covers `mark`, then the
   * primary position that covered it.
   */
  positionCovering(mark: number): bigint | undefined {
    return mark > this.coveredCount ? PRIMARY_ONLY_LSN : this.floorLsn;
  }

  /**
   * The position a read must see: the later of the session's last write and the token.
   * While the session's own unpositioned write waits for the lag monitor, no replica can
   * qualify (the primary answers).
   */
  requiredLsn(sessionKey: string | undefined, token: string | undefined): bigint | undefined {
    if (this.everyReadUntil > this.coveredCount) return PRIMARY_ONLY_LSN;
    let required: bigint | undefined;
    if (sessionKey !== undefined) {
      if (this.uncoveredSessions.size > 0 && this.uncoveredSessions.has(sessionKey)) return PRIMARY_ONLY_LSN;
      required = this.sessions.get(sessionKey);
    }
    if (token !== undefined) {
      const fromToken = parseLsn(token);
      if (fromToken === undefined) throw new InvalidConsistencyTokenError(INVALID_CONSISTENCY_TOKEN(token));
      if (required === undefined || fromToken > required) required = fromToken;
    }
    return required;
  }

  private raiseSession(sessionKey: string, lsn: bigint): void {
    const previous = this.sessions.get(sessionKey);
    if (previous === undefined || lsn > previous) this.sessions.set(sessionKey, lsn);
  }
}
