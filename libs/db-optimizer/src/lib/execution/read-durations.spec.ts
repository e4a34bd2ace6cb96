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

  it('remembers at most its capacity of texts, forgetting the least recently noted first', () => {
    const durations = new ReadDurations(20, 3);
    for (const id of [1, 2, 3]) durations.note(`SELECT ${id}`, 1);
    durations.note('SELECT 1', 1); // noted again: now the most recent
    durations.isShort('SELECT 2'); // a look does not count as a note
    durations.note('SELECT 4', 1);
    expect(durations.size).toBe(3);
    expect(['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4'].map((sql) => durations.isShort(sql))).toEqual([true, false, true, true]);
  });

  it('holds at most its budget of characters, and never remembers a text longer than all of it', () => {
    const durations = new ReadDurations(20, 100, 30);
    const text = (id: number) => `SELECT ${id} /* ${'x'.repeat(3)} */`; // 18 characters
    durations.note(text(1), 1);
    durations.note(text(2), 1);
    expect([durations.size, durations.isShort(text(1)), durations.isShort(text(2))]).toEqual([1, false, true]);
    const huge = `SELECT 1 /* ${'x'.repeat(40)} */`;
    durations.note(huge, 1);
    expect(durations.isShort(huge)).toBe(false);
  });
});
