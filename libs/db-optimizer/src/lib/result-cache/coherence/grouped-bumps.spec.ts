import { GroupedBumps } from './grouped-bumps';
import type { VersionChange } from './version-change';

type Change = Omit<VersionChange, 'stamp'>;

const rowWrite = (key: string, lsn: bigint): Change => ({ flushAll: false, tables: [{ table: 'public.t', rowKeys: [key] }], lsn });

/** A send whose calls the test answers one by one. */
function controlledSend(): { send: (change: Change) => Promise<void>; sent: Change[]; answer(error?: Error): Promise<void> } {
  const sent: Change[] = [];
  const pending: Array<{ resolve(): void; reject(error: Error): void }> = [];
  return {
    sent,
    send: (change) =>
      new Promise<void>((resolve, reject) => {
        sent.push(change);
        pending.push({ resolve, reject });
      }),
    async answer(error) {
      const next = pending.shift();
      if (!next) throw new Error('nothing was sent');
      if (error) next.reject(error);
      else next.resolve();
      // Let the settled promises run their callbacks.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** 'applied', or the message of the error the write was failed with (handled at once: no unhandled rejection). */
const outcomeOf = (submitted: Promise<void>): Promise<string> => submitted.then(() => 'applied', (error: Error) => error.message);

describe('GroupedBumps', () => {
  it('sends a lone write at once, and the writes committed meanwhile as one merged bump after it', async () => {
    const redis = controlledSend();
    const grouped = new GroupedBumps(redis.send, () => true);
    const settled: string[] = [];
    const first = grouped.submit(rowWrite('1', 10n)).then(() => settled.push('1'));
    const second = grouped.submit(rowWrite('2', 30n)).then(() => settled.push('2'));
    const third = grouped.submit(rowWrite('3', 20n)).then(() => settled.push('3'));
    expect(redis.sent).toEqual([rowWrite('1', 10n)]);

    await redis.answer();
    expect(settled).toEqual(['1']);
    // One bump for both, at the later of their positions.
    expect(redis.sent[1]).toEqual({ flushAll: false, tables: [{ table: 'public.t', rowKeys: ['2', '3'] }], lsn: 30n });

    await redis.answer();
    await Promise.all([first, second, third]);
    expect(settled).toEqual(['1', '2', '3']);
    expect(grouped.stats).toEqual({ sent: 2, joined: 1 });
  });

  it('fails the writes queued behind a bump that failed with it, without sending them to the same Redis', async () => {
    const redis = controlledSend();
    const grouped = new GroupedBumps(redis.send, () => true);
    const outcomes = [rowWrite('1', 1n), rowWrite('2', 2n), rowWrite('3', 3n)].map((change) => outcomeOf(grouped.submit(change)));
    await redis.answer(new Error('Redis version bump timed out'));
    expect(await Promise.all(outcomes)).toEqual(['Redis version bump timed out', 'Redis version bump timed out', 'Redis version bump timed out']);
    expect(redis.sent).toHaveLength(1);
    // Nothing stays stuck: the next write goes at once.
    const later = outcomeOf(grouped.submit(rowWrite('4', 4n)));
    expect(redis.sent).toHaveLength(2);
    await redis.answer();
    expect(await later).toBe('applied');
  });

  it('fails a write whose bump could not even be sent, and keeps going', async () => {
    let calls = 0;
    const grouped = new GroupedBumps(() => {
      calls++;
      if (calls === 1) throw new Error('script not loaded');
      return Promise.resolve();
    }, () => true);
    expect(await outcomeOf(grouped.submit(rowWrite('1', 1n)))).toBe('script not loaded');
    expect(await outcomeOf(grouped.submit(rowWrite('2', 2n)))).toBe('applied');
  });

  it('does not send a waiting group once Redis went down: its writes fail so that each applies locally', async () => {
    const redis = controlledSend();
    let up = true;
    const grouped = new GroupedBumps(redis.send, () => up);
    const first = outcomeOf(grouped.submit(rowWrite('1', 1n)));
    const waiting = outcomeOf(grouped.submit(rowWrite('2', 2n)));
    up = false;
    await redis.answer();
    expect(await Promise.all([first, waiting])).toEqual(['applied', 'Redis became unusable while the version bump waited for the one before it']);
    expect(redis.sent).toHaveLength(1);
    // Nothing stays stuck: the next write, with Redis back, goes at once.
    up = true;
    const later = outcomeOf(grouped.submit(rowWrite('3', 3n)));
    expect(redis.sent).toHaveLength(2);
    await redis.answer();
    expect(await later).toBe('applied');
  });

  it('merges a flush with row writes into a flush', async () => {
    const redis = controlledSend();
    const grouped = new GroupedBumps(redis.send, () => true);
    const first = grouped.submit(rowWrite('1', 1n));
    const rest = [grouped.submit(rowWrite('2', 5n)), grouped.submit({ flushAll: true, tables: [], lsn: 4n })];
    await redis.answer();
    expect(redis.sent[1]).toEqual({ flushAll: true, tables: [], lsn: 5n });
    await redis.answer();
    await Promise.all([first, ...rest]);
  });
});
