import { decodeChangeMessage, encodeChangeBody } from './change-message';

describe('change messages', () => {
  it('carries the change, its origin and when it was sent', () => {
    const body = encodeChangeBody({ flushAll: false, lsn: 0x16b374d848n, tables: [{ table: 's.t', rowKeys: ['5', '["a",1]'] }, { table: 's.u' }] }, 'me', 12.5);
    expect(decodeChangeMessage(`1700000000000001|${body}`)).toEqual({
      change: { stamp: 1700000000000001, lsn: 0x16b374d848n, flushAll: false, tables: [{ table: 's.t', rowKeys: ['5', '["a",1]'] }, { table: 's.u' }] },
      origin: 'me',
      sentAt: 12.5,
      positionUnknown: false,
    });
  });

  it('says when a write behind it had no known position, without the sender numbering it', () => {
    const marked = encodeChangeBody({ flushAll: false, lsn: 0x500n, unpositionedMark: 3, tables: [{ table: 's.t' }] }, 'me', 1);
    expect(JSON.parse(marked)).toEqual({ i: 'me', t: 1, l: '0/500', u: 1, s: [['s.t']] });
    expect(decodeChangeMessage(`8|${marked}`)).toMatchObject({ positionUnknown: true, change: { lsn: 0x500n } });
    expect(decodeChangeMessage(`8|${marked}`)?.change).not.toHaveProperty('unpositionedMark');
    // A bump with no position at all (an older sender, or a write whose position could not be read) counts too.
    expect(decodeChangeMessage(`9|${encodeChangeBody({ flushAll: false, tables: [{ table: 's.t' }] }, 'me', 1)}`)?.positionUnknown).toBe(true);
  });

  it('carries a flush', () => {
    const body = encodeChangeBody({ flushAll: true, tables: [] }, 'me', 1);
    expect(decodeChangeMessage(`7|${body}`)?.change).toEqual({ stamp: 7, flushAll: true, tables: [], lsn: undefined });
  });

  it.each(['', 'x|{}', '7', '7|not json', '7|{"i":"a","s":[[1]]}', '7|{"i":"a","s":[["t",[1]]]}', '-1|{"i":"a","s":[]}'])(
    'ignores malformed %j',
    (text) => {
      expect(decodeChangeMessage(text)).toBeUndefined();
    },
  );
});
