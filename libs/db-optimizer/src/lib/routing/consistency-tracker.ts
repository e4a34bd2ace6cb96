import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { LRUCache } from 'lru-cache';
import { currentWalLsn } from '../core/statement-runner';
import { formatLsn, parseLsn } from '../core/lsn';

/** Sessions remembered for read-your-writes; the least recent are forgotten first. */
const MAX_SESSIONS = 100_000;

export const INVALID_CONSISTENCY_TOKEN = (token: string): string =>
  `consistencyToken "${token.slice(0, 40)}" is not a token returned by a write (expected a WAL position like "0/3000060"). ` +
  'Pass metadata.consistencyToken from an earlier write unchanged.';

/**
 * Remembers, per session key, the WAL position of its last write, so a later
 * read goes only to a server that has replayed past it. A consistency token is
 * that position as text, usable on any instance.
 */
@Injectable()
export class ConsistencyTracker {
  private readonly logger = new Logger(ConsistencyTracker.name);
  private readonly sessions = new LRUCache<string, bigint>({ max: MAX_SESSIONS });

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
   * After a committed write, on its own client: reads the primary's WAL insert position
   * and records it for the session. A failure here returns no token
   * instead of an error: the write is committed, and an error would invite a duplicate retry.
   */
  async tokenAfterCommit(client: PoolClient, sessionKey: string | undefined): Promise<string | undefined> {
    try {
      return this.noteWrite(sessionKey, await currentWalLsn(client));
    } catch (error) {
      this.logger.warn(`Committed, but the WAL position could not be read (no consistency token): ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The position a read must see: the later of the session's last write and the token. */
  requiredLsn(sessionKey: string | undefined, token: string | undefined): bigint | undefined {
    const fromSession = sessionKey === undefined ? undefined : this.sessions.get(sessionKey);
    if (token === undefined) return fromSession;
    const fromToken = parseLsn(token);
    if (fromToken === undefined) throw new Error(INVALID_CONSISTENCY_TOKEN(token));
    return fromSession === undefined || fromToken > fromSession ? fromToken : fromSession;
  }
}
