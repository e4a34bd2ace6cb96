import { median, runInterleaved } from './load-generator';

describe('runInterleaved', () => {
  it('gives every client its turn in each round, after one warm-up each, and reports each apart', async () => {
    const turns: string[] = [];
    const operation = (name: string) => async (): Promise<void> => {
      if (turns[turns.length - 1] !== name) turns.push(name);
      await new Promise((resolve) => setTimeout(resolve, 1));
    };
    const results = await runInterleaved(
      [
        { client: 'a', operation: operation('a') },
        { client: 'b', operation: operation('b') },
      ],
      2,
      60,
      10,
      3,
    );

    // Warm-up a, warm-up b, then three rounds of a, b.
    expect(turns).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect([...results.keys()]).toEqual(['a', 'b']);
    for (const result of results.values()) {
      expect(result.operations).toBeGreaterThan(0);
      expect(result.throughput).toBeGreaterThan(0);
      expect(result.errors).toBe(0);
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

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
