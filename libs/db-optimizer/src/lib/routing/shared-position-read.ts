import type { PoolClient } from 'pg';
import { currentWalLsn } from '../core/statement-runner';

interface Waiter {
  resolve(lsn: string): void;
  reject(error: unknown): void;
}

/**
 * Reads the primary's WAL insert position after a commit, one read for every write whose
 * commit this process has seen before the read is sent.
 *
 * A position read after a commit is at or past that commit's record, whichever connection
 * reads it (the insert position is one for the whole server). So writes that committed
 * while a read is still waiting to go out can share it: the first of them opens a read,
 * sent on its own connection once the event loop has handled the rest of the I/O that
 * arrived with it (setImmediate), and every write that committed meanwhile joins it.
 * Under concurrent writes this saves a round trip per write; a lone write waits one loop
 * turn longer. A write that commits after the read went out opens the next one.
 */
export class SharedPositionRead {
  private open: { client: PoolClient; waiters: Waiter[] } | undefined;
  private readsCount = 0;
  private sharedCount = 0;

  /** Reads sent, and commits that shared another's read instead of sending their own. */
  get stats(): { reads: number; shared: number } {
    return { reads: this.readsCount, shared: this.sharedCount };
  }

  /** The position after the commit that just returned on `client` (which stays checked out until this settles). */
  after(client: PoolClient): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.open) {
        this.sharedCount++;
        this.open.waiters.push({ resolve, reject });
        return;
      }
      const batch = { client, waiters: [{ resolve, reject }] };
      this.open = batch;
      setImmediate(() => this.send(batch));
    });
  }

  private send(batch: { client: PoolClient; waiters: Waiter[] }): void {
    // Closed before sending: a commit seen from here on may be later than what this read returns.
    this.open = undefined;
    this.readsCount++;
    currentWalLsn(batch.client).then(
      (lsn) => batch.waiters.forEach((waiter) => waiter.resolve(lsn)),
      (error: unknown) => batch.waiters.forEach((waiter) => waiter.reject(error)),
    );
  }
}
