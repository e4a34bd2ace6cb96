import { encodeParamsForKey } from './typed-params';

describe('encodeParamsForKey', () => {
  it('tells values of different types apart', () => {
    const encodings = [[1], ['1'], [1n], [true], ['true'], [null], [undefined], [[1]], [{ a: 1 }], ['{"a":1}']].map((params) =>
      encodeParamsForKey(params),
    );
    expect(new Set(encodings).size).toBe(encodings.length);
  });

  it('keeps NaN, Infinity and -0 apart from null and 0', () => {
    const encodings = [[Number.NaN], [Number.POSITIVE_INFINITY], [-0], [0], [null]].map((params) => encodeParamsForKey(params));
    expect(new Set(encodings).size).toBe(encodings.length);
  });

  it('gives equal values the same text', () => {
    expect(encodeParamsForKey([new Date(5), Buffer.from('ab'), [1, 'x']])).toBe(encodeParamsForKey([new Date(5), Buffer.from('ab'), [1, 'x']]));
  });

  it('tells dates and buffers by value', () => {
    expect(encodeParamsForKey([new Date(5)])).not.toBe(encodeParamsForKey([new Date(6)]));
    expect(encodeParamsForKey([Buffer.from('a')])).not.toBe(encodeParamsForKey([Buffer.from('b')]));
  });

  it('refuses values whose text sent to PostgreSQL is not known from the value', () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    expect(encodeParamsForKey([new Money(1)])).toBeUndefined();
    expect(encodeParamsForKey([{ toPostgres: () => 'x' }])).toBeUndefined();
    expect(encodeParamsForKey([() => 1])).toBeUndefined();
    expect(encodeParamsForKey([[new Money(1)]])).toBeUndefined();
  });

  it('writes each value as the JSON of its tag, the text earlier versions wrote (Redis keys are shared across versions)', () => {
    const date = new Date(5);
    const values = ['a"b\\c\u2028é', '', 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 10n, true, false, null, undefined, [1, 'x', [null]], { a: 'é' }, date, Buffer.from('ab')];
    const tags = [
      ['s', 'a"b\\c\u2028é'],
      ['s', ''],
      ['n', '1.5'],
      ['n', '-0'],
      ['n', 'NaN'],
      ['n', 'Infinity'],
      ['n', '1e+21'],
      ['b', '10'],
      ['t', true],
      ['t', false],
      null,
      ['u'],
      ['a', [['n', '1'], ['s', 'x'], ['a', [null]]]],
      ['j', '{"a":"é"}'],
      ['d', 5, date.getTimezoneOffset()],
      ['x', 'YWI='],
    ];
    expect(encodeParamsForKey(values)).toBe(JSON.stringify(tags));
    expect(encodeParamsForKey([])).toBe('[]');
    expect(encodeParamsForKey([7])).toBe('[["n","7"]]');
  });
});
