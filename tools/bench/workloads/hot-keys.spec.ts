import { scheduleMix } from './hot-keys';

describe('the hot-key write schedule', () => {
  it.each([10, 50])('makes %i%% of operations writes, spread over the keys that are read', (percent) => {
    // 32 callers each visit every key once per 2000 operations.
    const mix = scheduleMix(percent, 32, 2000);
    expect(Math.abs(mix.writeShare - percent / 100)).toBeLessThan(0.01);
    expect(mix.keysRead).toBe(1);
    // A key escapes all 32 visits' writes with probability (1 - p)^32: 3.4% at 10%. The old
    // every-n-th schedule wrote keys of one parity only (0.5 here, and no read met a write at 50/50).
    expect(mix.keysWritten).toBeGreaterThan(1 - (1 - percent / 100) ** 32 - 0.02);
  });
});
