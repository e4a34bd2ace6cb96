import { runInterleaved, runLoad } from './load-generator';

describe('runInterleaved', () => {
  it('gives every client its turn in each round, the first turn moving by one, after one warm-up each', async () => {
    const turns: string[] = [];
    const operation = (name: string) => async (): Promise<void> => {
      if (turns[turns.length - 1] !== name) turns.push(name);
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    const results = await runInterleaved(
      ['a', 'b', 'c'].map((client) => ({ client, operation: operation(client) })),
      2,
      60,
      10,
      3,
    );

    // Warm-ups a, b, c; then rounds a-b-c, b-c-a, c-a-b.
    expect(turns.join('')).toBe('abc' + 'abc' + 'bca' + 'cab');
    expect([...results.keys()]).toEqual(['a', 'b', 'c']);
    for (const result of results.values()) {
      expect(result.operations).toBeGreaterThan(0);
      expect(result.throughput).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
      // Linux: each client's measured turns are split into this process' CPU and the servers'.
      expect(result.cpu?.clientUs).toBeGreaterThan(0);
    }
  });

  it('counts a failing operation as an error of its client only', async () => {
    const results = await runInterleaved(
      [
        { client: 'ok', operation: () => new Promise((resolve) => setTimeout(resolve, 1)) },
        { client: 'failing', operation: () => new Promise((_, reject) => setTimeout(() => reject(new Error('no')), 1)) },
      ],
      1,
      20,
      5,
      2,
    );

    expect(results.get('ok')?.errors).toBe(0);
    expect(results.get('failing')?.errors).toBeGreaterThan(0);
    expect(results.get('failing')?.operations).toBe(0);
  });
});

describe('runLoad', () => {
  it('measures one client over the whole duration: throughput is its operations over the measured time', async () => {
    const result = await runLoad(() => new Promise((resolve) => setTimeout(resolve, 1)), 2, 40, 10);

    expect(result.operations).toBeGreaterThan(0);
    expect(result.throughput).toBeCloseTo((result.operations / result.durationMs) * 1000, 6);
    expect(result.p50Us).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
  });
});
