import { formatLsn, laterLsn, parseLsn } from './lsn';

describe('lsn', () => {
  it('parses and formats WAL positions', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(formatLsn(parseLsn('0/3000060')!)).toBe('0/3000060');
  });

  it('orders positions across the high word', () => {
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
  });

  it.each(['', '0/', 'x/1', '1/2/3', '123456789/0', "0/1'; DROP"])('rejects %p', (text) => {
    expect(parseLsn(text)).toBeUndefined();
  });

  it('picks the later of two optional positions', () => {
    expect(laterLsn(undefined, 5n)).toBe(5n);
    expect(laterLsn(7n, undefined)).toBe(7n);
    expect(laterLsn(7n, 9n)).toBe(9n);
    expect(laterLsn(undefined, undefined)).toBeUndefined();
  });
});
