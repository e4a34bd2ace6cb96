import { statementName } from './statement-name';

describe('statementName', () => {
  it('gives the same text the same name every time', () => {
    expect(statementName('SELECT * FROM t WHERE id = $1')).toBe(statementName('SELECT * FROM t WHERE id = $1'));
  });

  it('gives texts that differ by one character different names', () => {
    expect(statementName('SELECT $1')).not.toBe(statementName('SELECT $2'));
    expect(statementName('SELECT $1')).not.toBe(statementName('SELECT $1 '));
  });

  it('stays within the 63 characters PostgreSQL keeps, even for a huge text', () => {
    const name = statementName(`SELECT ${'x, '.repeat(100_000)}$1`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^dbo_[0-9a-f]{32}$/);
  });

  it('yields distinct names for 50,000 distinct texts', () => {
    const names = new Set<string>();
    for (let i = 0; i < 50_000; i++) names.add(statementName(`SELECT ${i} WHERE $1`));
    expect(names.size).toBe(50_000);
  });
});
