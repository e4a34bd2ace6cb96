import { CheckoutQueue } from './checkout-queue';

describe('CheckoutQueue', () => {
  let now: number;
  const queue = () => new CheckoutQueue<string>(1000, (waitedMs) => new Error(`waited ${waitedMs} ms`), () => now);
  /** Lets settled promises run their handlers. */
  const settle = () => Promise.resolve().then(() => undefined);

  beforeEach(() => {
    now = 0;
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('serves waiters in the order they came, and says when nobody waits', async () => {
    const subject = queue();
    const served: string[] = [];
    const first = subject.wait().then((value) => served.push(`first:${value}`));
    const second = subject.wait().then((value) => served.push(`second:${value}`));
    expect(subject.length).toBe(2);
    expect(subject.serve('a')).toBe(true);
    expect(subject.serve('b')).toBe(true);
    expect(subject.serve('c')).toBe(false);
    await Promise.all([first, second]);
    expect(served).toEqual(['first:a', 'second:b']);
    expect(subject.length).toBe(0);
  });

  it('fails each waiter once its own timeout is up, not before, and keeps the later ones waiting', async () => {
    const subject = queue();
    const outcomes: string[] = [];
    const track = (name: string, promise: Promise<string>) =>
      promise.then(
        (value) => outcomes.push(`${name} served ${value}`),
        (error: Error) => outcomes.push(`${name} failed: ${error.message}`),
      );
    const early = track('early', subject.wait());
    now = 400;
    const late = track('late', subject.wait());

    now = 999;
    jest.advanceTimersByTime(999);
    await settle();
    expect(outcomes).toEqual([]);

    now = 1000;
    jest.advanceTimersByTime(1);
    await early;
    expect(outcomes).toEqual(['early failed: waited 1000 ms']);
    expect(subject.length).toBe(1);

    // The timer set itself for the late waiter's own deadline (joined at 400: due at 1400).
    now = 1399;
    jest.advanceTimersByTime(399);
    await settle();
    expect(outcomes).toHaveLength(1);
    expect(subject.serve('x')).toBe(true);
    await late;
    expect(outcomes).toEqual(['early failed: waited 1000 ms', 'late served x']);
  });

  it('keeps the order over thousands of waiters coming and going, with a hundred always in line', async () => {
    const subject = queue();
    const served: number[] = [];
    const waits: Array<Promise<unknown>> = [];
    const join = (n: number) => waits.push(subject.wait().then((value) => served.push(n * 1000 + Number(value))));
    for (let n = 0; n < 100; n++) join(n);
    for (let n = 100; n < 3000; n++) {
      subject.serve(String(n - 100));
      join(n);
    }
    while (subject.serve('0')) expect(subject.length).toBeLessThan(100);
    await Promise.all(waits);
    // Waiter n got value n (the last hundred got 0): nobody overtaken, nobody lost or served twice.
    expect(served).toEqual(Array.from({ length: 3000 }, (_, n) => n * 1000 + (n < 2900 ? n : 0)));
    expect(subject.length).toBe(0);
  });

  it('keeps one timer for any number of waiters', () => {
    const subject = queue();
    const waits = Array.from({ length: 500 }, () => subject.wait().catch(() => undefined));
    expect(jest.getTimerCount()).toBe(1);
    for (let i = 0; i < 499; i++) subject.serve('client');
    expect(jest.getTimerCount()).toBe(1);
    subject.serve('client');
    return Promise.all(waits);
  });

  it('hands the oldest waiter to the caller to settle, and fails the rest when closed', async () => {
    const subject = queue();
    const first = subject.wait();
    const second = subject.wait();
    const taken = subject.take();
    taken?.resolve('opened for it');
    await expect(first).resolves.toBe('opened for it');
    subject.rejectAll(() => new Error('closed'));
    await expect(second).rejects.toThrow('closed');
    expect(subject.length).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(subject.take()).toBeUndefined();
  });
});
