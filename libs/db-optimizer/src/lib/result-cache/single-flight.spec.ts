import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs concurrent calls on one key once', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const work = async (): Promise<number> => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 42;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => flight.run('k', work)));
    expect(results).toEqual(Array(20).fill(42));
    expect(runs).toBe(1);
    expect(flight.joined).toBe(19);
    expect(flight.size).toBe(0);
  });

  it('runs different keys separately', async () => {
    const flight = new SingleFlight<string>();
    const results = await Promise.all([flight.run('a', async () => 'a'), flight.run('b', async () => 'b')]);
    expect(results).toEqual(['a', 'b']);
  });

  it('shares a failure with every waiter, then forgets the key', async () => {
    const flight = new SingleFlight<number>();
    const failing = async (): Promise<number> => {
      throw new Error('boom');
    };
    const outcomes = await Promise.allSettled([flight.run('k', failing), flight.run('k', failing)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(flight.has('k')).toBe(false);
    await expect(flight.run('k', async () => 1)).resolves.toBe(1);
  });

  it('forgets the key even when the work throws synchronously', async () => {
    const flight = new SingleFlight<number>();
    await expect(
      flight.run('k', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(flight.size).toBe(0);
  });
});
