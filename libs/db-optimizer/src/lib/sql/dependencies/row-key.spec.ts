import { encodeRowKey, normalizeKeyValue, rowKeysFor, MAX_ROW_KEYS } from './row-key';

describe('normalizeKeyValue', () => {
  it.each([
    [5, '5'],
    ['5', '5'],
    [' +05 ', '5'],
    ['-0', '0'],
    [5n, '5'],
    ['9223372036854775807', '9223372036854775807'],
  ])('gives integer %p the key %p', (value, key) => {
    expect(normalizeKeyValue('integer', value)).toBe(key);
  });

  it.each([[1.5], ['1.5'], ['1_000'], ['0x1F'], [Number.MAX_SAFE_INTEGER + 2], [true], [{}], [null], [undefined]])(
    'refuses integer %p, which PostgreSQL would read differently or not at all',
    (value) => {
      expect(normalizeKeyValue('integer', value)).toBeUndefined();
    },
  );

  it('keeps text as node-postgres sends it', () => {
    expect(normalizeKeyValue('text', '05')).toBe('05');
    expect(normalizeKeyValue('text', 5)).toBe('5');
    expect(normalizeKeyValue('text', ['a'])).toBeUndefined();
  });

  it('drops the trailing blanks char(n) ignores', () => {
    expect(normalizeKeyValue('char', 'ab  ')).toBe('ab');
  });

  it('normalises uuid spellings and refuses malformed ones', () => {
    const key = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
    expect(normalizeKeyValue('uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(key);
    expect(normalizeKeyValue('uuid', '{a0eebc999c0b4ef8bb6d6bb9bd380a11}')).toBe(key);
    expect(normalizeKeyValue('uuid', 'a0eebc99-9c0b-4ef8-bb6d')).toBeUndefined();
  });

  it('refuses every value of a type it cannot compare', () => {
    expect(normalizeKeyValue('other', '2024-01-01')).toBeUndefined();
  });
});

describe('encodeRowKey', () => {
  it('keeps a single value as is and encodes several as a JSON array', () => {
    expect(encodeRowKey(['7'])).toBe('7');
    expect(encodeRowKey(['7', 'a,b'])).toBe('["7","a,b"]');
  });
});

describe('rowKeysFor', () => {
  const columns = [{ name: 'a', type: 'integer' as const }, { name: 'b', type: 'text' as const }];

  it('combines the values of every key column', () => {
    const pins = new Map([
      ['a', [{ kind: 'param' as const, index: 1 }]],
      ['b', [{ kind: 'const' as const, value: 'x' }, { kind: 'const' as const, value: 'y' }]],
    ]);
    expect(rowKeysFor(columns, pins, [1])).toEqual(['["1","x"]', '["1","y"]']);
  });

  it('gives up when a column is missing, a parameter is missing, or there are too many rows', () => {
    expect(rowKeysFor(columns, new Map([['a', [{ kind: 'param' as const, index: 1 }]]]), [1])).toBeUndefined();
    const pins = new Map([
      ['a', [{ kind: 'param' as const, index: 2 }]],
      ['b', [{ kind: 'const' as const, value: 'x' }]],
    ]);
    expect(rowKeysFor(columns, pins, [1])).toBeUndefined();
    const many = new Map([['a', [{ kind: 'param-array' as const, index: 1 }]], ['b', [{ kind: 'const' as const, value: 'x' }]]]);
    expect(rowKeysFor(columns, many, [Array.from({ length: MAX_ROW_KEYS + 1 }, (_, i) => i)])).toBeUndefined();
  });
});
