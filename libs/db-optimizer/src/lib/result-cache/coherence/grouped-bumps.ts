import type { VersionChange } from './version-change';
import { mergeVersionChanges } from '../write-effects';

type Change = Omit<VersionChange, 'stamp'>;

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Sends committed writes' version bumps to Redis one at a time, grouping the writes that
 * commit while a bump is on its way into the next one (group commit). A lone write goes at
 * once; under concurrent writes, one round trip (and one message every instance decodes)
 * covers many. Each write's promise settles with the bump that carried it, after the bump is
 * applied here, so a writer's next read still builds its new key.
 *
 * The merged change is what `mergeVersionChanges` makes of them: rows per table while they
 * stay few, the whole table otherwise, everything when one of them flushes, and the latest
 * WAL position of them all (a load at that version waits for every write it carries).
 * A write queued behind a bump waits for it (at most one `cacheRedisTimeoutMs`) before its own;
 * when that bump fails, the queued writes fail with it.
 */
export class GroupedBumps {
  private sending = false;
  private next: { changes: Change[]; waiters: Waiter[] } | undefined;
  private sentCount = 0;
  private joinedCount = 0;

  /**
   * @param send bumps one change through Redis and applies it here; rejects when Redis failed
   * @param usable whether a queued group may still go to Redis (the link may have gone down meanwhile)
   */
  constructor(
    private readonly send: (change: Change) => Promise<unknown>,
    private readonly usable: () => boolean,
  ) {}

  /** Bumps sent, and writes that went with another's bump instead of sending their own. */
  get stats(): { sent: number; joined: number } {
    return { sent: this.sentCount, joined: this.joinedCount };
  }

  /** Resolves once the bump carrying `change` is applied here; rejects when it could not go through Redis. */
  submit(change: Change): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (!this.sending) {
        this.start([change], [waiter]);
        return;
      }
      this.next ??= { changes: [], waiters: [] };
      this.next.changes.push(change);
      this.next.waiters.push(waiter);
    });
  }

  private start(changes: Change[], waiters: Waiter[]): void {
    if (!this.usable()) {
      // Redis went down while these waited: each caller applies its own change locally.
      const error = new Error('Redis became unusable while the version bump waited for the one before it');
      for (const waiter of waiters) waiter.reject(error);
      this.startNext();
      return;
    }
    let sent: Promise<unknown>;
    try {
      sent = this.send(changes.length === 1 ? changes[0] : mergeVersionChanges(changes));
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      this.startNext();
      return;
    }
    this.sending = true;
    this.sentCount++;
    this.joinedCount += changes.length - 1;
    sent.then(
      () => {
        this.sending = false;
        for (const waiter of waiters) waiter.resolve();
        this.startNext();
      },
      (error: unknown) => {
        // Redis just failed: the writes queued behind this bump fail with it (each applies locally once the
        // link is marked down) rather than being sent to the same Redis before anyone has noticed.
        this.sending = false;
        const queued = this.next?.waiters ?? [];
        this.next = undefined;
        for (const waiter of [...waiters, ...queued]) waiter.reject(error);
      },
    );
  }

  private startNext(): void {
    const next = this.next;
    this.next = undefined;
    if (next) this.start(next.changes, next.waiters);
  }
}
