import { cacheModeOf, isServable, ServablePolicy } from './cache-mode';

describe('#cacheModeOf', () => {
  it.each([
    ['redis://127.0.0.1:6379', 3, 'shared'],
    [undefined, 1, 'local'],
    [undefined, 2, 'local-bounded'],
  ] as const)('redisUrl %s and %i instance(s) give %s', (redisUrl, instances, mode) => {
    expect(cacheModeOf({ redisUrl, instances })).toBe(mode);
  });
});

describe('#isServable', () => {
  const policy = (mode: ServablePolicy['mode'], redisUp: boolean): ServablePolicy => ({ mode, outageMaxAgeMs: 1000, redisUp: () => redisUp, now: () => 10_000 });

  it.each([
    ['local', false, 0, true],
    ['shared', true, 0, true],
    ['shared', false, 8_999, false],
    ['shared', false, 9_000, true],
    ['local-bounded', false, 8_999, false],
    ['local-bounded', false, 9_500, true],
  ] as const)('mode %s (Redis up: %s) serves an entry loaded at %i: %s', (mode, redisUp, loadedAt, servable) => {
    expect(isServable(policy(mode, redisUp), loadedAt)).toBe(servable);
  });
});
