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
});
