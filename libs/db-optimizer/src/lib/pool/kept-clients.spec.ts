import { KeptClients } from './kept-clients';

describe('KeptClients', () => {
  let handedBack: string[];
  const kept = () => new KeptClients<string>((client) => handedBack.push(client), 1000);

  beforeEach(() => {
    handedBack = [];
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('hands out the most recently kept client first, and nothing when empty', () => {
    const subject = kept();
    subject.keep('a');
    subject.keep('b');
    expect(subject.length).toBe(2);
    expect(subject.take()).toBe('b');
    expect(subject.take()).toBe('a');
    expect(subject.take()).toBeUndefined();
  });

  it('gives back a client nobody took for a whole sweep, and keeps the ones in use', () => {
    const subject = kept();
    subject.keep('idle');
    subject.keep('busy');
    // The first sweep only marks: each may have been kept a moment before it.
    jest.advanceTimersByTime(1000);
    expect(handedBack).toEqual([]);
    // 'busy' goes out and comes back between sweeps; 'idle' stays at the bottom, untouched.
    subject.keep(subject.take()!);
    jest.advanceTimersByTime(1000);
    expect(handedBack).toEqual(['idle']);
    expect(subject.length).toBe(1);
    // Unused from now on: not taken for the whole next interval, it goes back at the next sweep; then the sweeps stop.
    jest.advanceTimersByTime(999);
    expect(handedBack).toEqual(['idle']);
    jest.advanceTimersByTime(1);
    expect(handedBack).toEqual(['idle', 'busy']);
    expect(subject.length).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('counts a client taken down to the bottom as used, even when it comes back on top', () => {
    const subject = kept();
    subject.keep('a');
    subject.keep('b');
    jest.advanceTimersByTime(1000);
    // Both taken, both back: neither is untouched.
    subject.take();
    subject.take();
    subject.keep('b');
    subject.keep('a');
    jest.advanceTimersByTime(1000);
    expect(handedBack).toEqual([]);
  });

  it('forgets a removed client (its connection failed) without giving it back, and says whether it was kept', () => {
    const subject = kept();
    subject.keep('a');
    subject.keep('b');
    jest.advanceTimersByTime(1000);
    expect(subject.remove('a')).toBe(true);
    expect(subject.remove('a')).toBe(false);
    // Kept after the mark: only 'b' is left of the untouched ones.
    subject.keep('c');
    jest.advanceTimersByTime(1000);
    expect(handedBack).toEqual(['b']);
  });

  it('gives everything back at once when asked, and stops sweeping', () => {
    const subject = kept();
    subject.keep('a');
    subject.keep('b');
    subject.handBackAll();
    expect(handedBack).toEqual(['a', 'b']);
    expect(subject.length).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never keeps the process alive for its sweep', () => {
    const setTimer = jest.spyOn(global, 'setTimeout');
    kept().keep('a');
    expect(setTimer).toHaveBeenCalledTimes(1);
    expect((setTimer.mock.results[0].value as NodeJS.Timeout).hasRef()).toBe(false);
  });
});
