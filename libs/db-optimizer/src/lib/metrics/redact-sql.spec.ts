import { redactSqlLiterals, toStoredSql } from './redact-sql';

describe('redactSqlLiterals', () => {
  it('keeps normalized text as it is', () => {
    const sql = 'SELECT "Order 1".id, t1.name FROM t1 JOIN "Order 1" ON t1.id = "Order 1".t1_id WHERE t1.id IN ($1, $2)';
    expect(redactSqlLiterals(sql)).toBe(sql);
  });

  it.each([
    ["WHERE name = 'secret-value-42'", 'WHERE name = ?'],
    ["WHERE name = 'it''s secret'", 'WHERE name = ?'],
    ["WHERE name = E'it\\'s secret'", 'WHERE name = ?'],
    ['WHERE body = $$secret$$ OR body = $tag$secret$tag$', 'WHERE body = ? OR body = ?'],
    ['WHERE pin = 4242 AND ratio > 0.5 AND big < 1e9', 'WHERE pin = ? AND ratio > ? AND big < ?'],
    ["WHERE a = $1 -- password=secret\nAND b = $2", 'WHERE a = $1  \nAND b = $2'],
    ['WHERE a = $1 /* secret */', 'WHERE a = $1  '],
    ["WHERE name = 'unterminated secret", 'WHERE name = ?'],
  ])('redacts %j', (input, expected) => {
    expect(redactSqlLiterals(`SELECT * FROM users ${input}`)).toBe(`SELECT * FROM users ${expected}`);
  });
});

describe('toStoredSql', () => {
  it('cuts long texts to the bound, marking the cut', () => {
    const stored = toStoredSql(`SELECT ${'a, '.repeat(2000)}b FROM t`, 100);
    expect(stored).toHaveLength(100);
    expect(stored.endsWith('…')).toBe(true);
  });
});
