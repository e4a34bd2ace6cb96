import { Progress } from '../progress';
import { HOT_KEY_WRITE_PERCENTS, hotKeys, hotKeysSteps, scheduleMix } from './hot-keys';

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

describe('the hot-key mixes against the real cluster and Redis', () => {
  it('runs raw pg and the three module clients in turns, each on its own table, with no stale read and a CPU split per row', async () => {
    const replicaUrls = (process.env['DATABASE_READ_REPLICA_URL'] ?? '').split(',').filter(Boolean);
    const timing = { durationMs: 400, warmupMs: 100, callerCounts: [32], replicaUrls };
    const steps: string[] = [];
    const { rows, extra } = await hotKeys(
      {
        ...timing,
        primaryUrl: process.env['DATABASE_PRIMARY_URL']!,
        redisUrl: process.env['REDIS_URL'],
        progress: new Progress(hotKeysSteps(timing), (line) => steps.push(line)),
      },
      () => undefined,
    );

    // One progress step per mix, every client of the mix inside it.
    expect(steps).toHaveLength(HOT_KEY_WRITE_PERCENTS.length);
    expect(rows.map((row) => `${row.workload}: ${row.client}`)).toEqual(
      HOT_KEY_WRITE_PERCENTS.flatMap((percent) =>
        [
          'pg unnamed',
          'DbOptimizerService (cache on)',
          'DbOptimizerService (cache on), multiplexReads 0',
          'DbOptimizerService (cache on), memory only',
        ].map((client) => `hot-keys ${100 - percent}/${percent}: ${client}`),
      ),
    );
    // The notes say what each instance's cache reports: the memory-only client has no Redis, the others have it.
    for (const row of rows.filter((one) => one.client.startsWith('DbOptimizerService'))) {
      expect(row.notes).toContain(row.client.endsWith('memory only') ? 'L1 only' : 'L1 + Redis');
    }
    for (const row of rows) {
      expect(row.operations).toBeGreaterThan(0);
      expect(row.errors).toBe(0);
      expect(row.notes).toContain('stale reads 0');
      expect(row.cpu?.postgresUs).toBeGreaterThan(0);
    }
    const staleLines = Object.entries(extra).filter(([key]) => key.includes('stale reads'));
    expect(staleLines).toHaveLength(3 * HOT_KEY_WRITE_PERCENTS.length);
    for (const [, stale] of staleLines) expect(stale).toBe(0);
    expect(Object.keys(extra).filter((key) => key.includes('ceiling'))).toHaveLength(3 * HOT_KEY_WRITE_PERCENTS.length);
  }, 60_000);
});
