import { ConsistencyTracker } from './consistency-tracker';
import { parseLsn } from '../core/lsn';
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
      // No replica qualifies until the lag monitor reads the primary's position; then that position is the floor.
      expect(tracker.requiredLsn('bob', undefined)).toBe((1n << 64n) - 1n);
      tracker.notePrimaryPosition(parseLsn('0/500')!, tracker.pendingUnpositioned);
      expect(tracker.requiredLsn('bob', undefined)).toBe(parseLsn('0/500'));
    });
  });
});
