import { chooseRecovery } from './statement-recovery';

describe('chooseRecovery', () => {
  it('keeps a statement whose execution failed after it was parsed', () => {
    expect(chooseRecovery('statement-error', true, true)).toBe('keep');
  });

  it('forgets a statement whose Parse failed', () => {
    expect(chooseRecovery('statement-error', false, true)).toBe('forget');
  });

  it('retries an invalidated plan outside a transaction and defers the DEALLOCATE inside one', () => {
    expect(chooseRecovery('statement-stale', true, true)).toBe('deallocate-and-retry');
    expect(chooseRecovery('statement-stale', true, false)).toBe('unsettle');
  });

  it('retries a statement the server lost only when retrying is safe', () => {
    expect(chooseRecovery('statement-missing', true, true)).toBe('drop-and-retry');
    expect(chooseRecovery('statement-missing', true, false)).toBe('drop');
  });

  it('never retries when the statement\'s state on the server is unknown', () => {
    expect(chooseRecovery('state-unknown', true, true)).toBe('unsettle');
  });
});
