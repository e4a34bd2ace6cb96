import { ConsistencyTracker } from './consistency-tracker';
import { parseLsn, PRIMARY_ONLY_LSN } from '../core/lsn';
import { InvalidConsistencyTokenError } from '../core/errors/invalid-consistency-token.error';

describe('ConsistencyTracker', () => {
  it('remembers the latest write position per session and never moves it back', () => {
    const tracker = new ConsistencyTracker();
    expect(tracker.noteWrite('alice', '0/3000100')).toBe('0/3000100');
    tracker.noteWrite('alice', '0/3000050');
    expect(tracker.requiredLsn('alice', undefined)).toBe(parseLsn('0/3000100'));
    expect(tracker.requiredLsn('bob', undefined)).toBeUndefined();
  });

  it('takes the later of the session position and the token', () => {
    const tracker = new ConsistencyTracker();
    tracker.noteWrite('alice', '0/200');
    expect(tracker.requiredLsn('alice', '0/100')).toBe(parseLsn('0/200'));
    expect(tracker.requiredLsn('alice', '1/0')).toBe(parseLsn('1/0'));
    expect(tracker.requiredLsn(undefined, '0/10')).toBe(parseLsn('0/10'));
  });

  it('rejects a token that is not a WAL position, saying what to pass', () => {
    expect(() => new ConsistencyTracker().requiredLsn(undefined, 'abc')).toThrow(InvalidConsistencyTokenError);
    expect(() => new ConsistencyTracker().requiredLsn(undefined, 'abc')).toThrow(/Pass metadata.consistencyToken from an earlier write unchanged/);
  });

  describe('#tokenAfterCommit', () => {
    it('records the insert position for the session and returns it as the token', async () => {
      const tracker = new ConsistencyTracker();
      const client = { query: async () => ({ rows: [{ lsn: '0/3000AB0' }] }) };
      await expect(tracker.tokenAfterCommit(client as never, 'alice')).resolves.toBe('0/3000AB0');
      expect(tracker.requiredLsn('alice', undefined)).toBe(parseLsn('0/3000AB0'));
    });

    it('returns no token, never an error, when the position cannot be read after the commit', async () => {
      const tracker = new ConsistencyTracker();
      const client = { query: async () => Promise.reject(new Error('Connection terminated')) };
      await expect(tracker.tokenAfterCommit(client as never, 'alice')).resolves.toBeUndefined();
      // No replica qualifies for alice until the lag monitor reads the primary's position; then that position is hers.
      expect(tracker.requiredLsn('alice', undefined)).toBe(PRIMARY_ONLY_LSN);
      tracker.notePrimaryPosition(parseLsn('0/500')!, tracker.unpositionedMark);
      expect(tracker.requiredLsn('alice', undefined)).toBe(parseLsn('0/500'));
    });
  });

  describe('a write whose position is unknown', () => {
    const unpositioned = async (tracker: ConsistencyTracker, sessionKey?: string): Promise<number> => {
      const client = { query: async () => Promise.reject(new Error('Connection terminated')) };
      await tracker.tokenAfterCommit(client as never, sessionKey);
      return tracker.unpositionedMark;
    };

    it("sends only its own session's reads to the primary, not every read", async () => {
      const tracker = new ConsistencyTracker();
      tracker.noteWrite('bob', '0/300');
      await unpositioned(tracker, 'alice');
      expect(tracker.requiredLsn('alice', undefined)).toBe(PRIMARY_ONLY_LSN);
      expect(tracker.requiredLsn('bob', undefined)).toBe(parseLsn('0/300'));
      expect(tracker.requiredLsn(undefined, undefined)).toBeUndefined();
      expect(tracker.requiredLsn(undefined, '0/400')).toBe(parseLsn('0/400'));
    });

    it('covers a write only with a primary position read after it was noted', async () => {
      const tracker = new ConsistencyTracker();
      const first = await unpositioned(tracker, 'alice');
      const markBeforeRead = tracker.unpositionedMark;
      const second = await unpositioned(tracker, 'carol');
      tracker.notePrimaryPosition(parseLsn('0/500')!, markBeforeRead);
      expect(tracker.requiredLsn('alice', undefined)).toBe(parseLsn('0/500'));
      expect(tracker.requiredLsn('carol', undefined)).toBe(PRIMARY_ONLY_LSN);
      expect(tracker.positionCovering(first)).toBe(parseLsn('0/500'));
      expect(tracker.positionCovering(second)).toBe(PRIMARY_ONLY_LSN);
      tracker.notePrimaryPosition(parseLsn('0/600')!, tracker.unpositionedMark);
      expect(tracker.requiredLsn('carol', undefined)).toBe(parseLsn('0/600'));
      expect(tracker.positionCovering(second)).toBe(parseLsn('0/600'));
      // A position read before a later mark covers nothing more.
      tracker.notePrimaryPosition(parseLsn('0/700')!, markBeforeRead);
      expect(tracker.positionCovering(first)).toBe(parseLsn('0/600'));
    });

    it("keeps a session's later position when the covering one is older", async () => {
      const tracker = new ConsistencyTracker();
      await unpositioned(tracker, 'alice');
      const mark = tracker.unpositionedMark;
      tracker.noteWrite('alice', '0/900');
      // alice's later write is positioned, but her unpositioned one still needs the primary.
      expect(tracker.requiredLsn('alice', undefined)).toBe(PRIMARY_ONLY_LSN);
      tracker.notePrimaryPosition(parseLsn('0/500')!, mark);
      expect(tracker.requiredLsn('alice', undefined)).toBe(parseLsn('0/900'));
    });
  });
});
