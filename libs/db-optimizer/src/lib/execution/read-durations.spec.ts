import { ReadDurations } from './read-durations';

describe('ReadDurations: which read statements are measured short enough to share a connection', () => {
  const LOOKUP = 'SELECT * FROM items WHERE id = $1';

  it('calls a statement short only once it has run, and only at or under the limit', () => {
    const durations = new ReadDurations(20);
    expect(durations.isShort(LOOKUP)).toBe(false);
    durations.note(LOOKUP, 20);
    expect(durations.isShort(LOOKUP)).toBe(true);
    durations.note('SELECT pg_sleep(1)', 1000);
    expect(durations.isShort('SELECT pg_sleep(1)')).toBe(false);
  });

  it('keeps a statement apart after one slow run until six faster runs have halved it under the limit', () => {
    const durations = new ReadDurations(20);
    durations.note(LOOKUP, 0.5);
    durations.note(LOOKUP, 1000);
    const shortAfter: boolean[] = [];
    for (let run = 1; run <= 6; run++) {
      durations.note(LOOKUP, 0.5);
      shortAfter.push(durations.isShort(LOOKUP));
    }
    // 1000 → 500 → 250 → 125 → 62.5 → 31.25 → 15.6 ms.
    expect(shortAfter).toEqual([false, false, false, false, false, true]);
  });

  it('takes a slower run at once: a statement that turns slow stops sharing on its next read', () => {
    const durations = new ReadDurations(20);
    for (let run = 0; run < 50; run++) durations.note(LOOKUP, 0.3);
    durations.note(LOOKUP, 45);
    expect(durations.isShort(LOOKUP)).toBe(false);
  });

  it('remembers at most its capacity of texts, forgetting the oldest noted first', () => {
    const durations = new ReadDurations(20, 3);
    for (const id of [1, 2, 3]) durations.note(`SELECT ${id}`, 1);
    durations.note('SELECT 1', 1); // noted again: still the oldest by first note
    durations.note('SELECT 4', 1);
    expect(durations.size).toBe(3);
    expect(['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4'].map((sql) => durations.isShort(sql))).toEqual([false, true, true, true]);
  });
});
