import { AsyncMemo } from './async-memo';

describe('AsyncMemo', () => {
  it('shares one computation between concurrent requests and caches the answer', async () => {
    const memo = new AsyncMemo<string, number>(10, 0);
    let computations = 0;
    const compute = async (): Promise<number> => {
      computations++;
      return 42;
    };
    await expect(Promise.all([memo.get('a', compute), memo.get('a', compute)])).resolves.toEqual([42, 42]);
    await expect(memo.get('a', compute)).resolves.toBe(42);
    expect(computations).toBe(1);
    expect(memo.size).toBe(1);
  });

  it('does not cache a failure', async () => {
    const memo = new AsyncMemo<string, number>(10, 0);
    await expect(memo.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(memo.get('a', async () => 7)).resolves.toBe(7);
  });

  it('does not keep an answer computed across clear()', async () => {
    const memo = new AsyncMemo<string, number>(10, 0);
    let finish: (value: number) => void = () => undefined;
    const pending = memo.get('a', () => new Promise<number>((resolve) => (finish = resolve)));
    memo.clear();
    finish(1);
    await expect(pending).resolves.toBe(1);
    expect(memo.peek('a')).toBeUndefined();
  });
});
