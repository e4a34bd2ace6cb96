import { safeLabelValue } from './label-value';

describe('safeLabelValue', () => {
  it('keeps role and host names', () => {
    expect(safeLabelValue('read_replica')).toBe('read_replica');
    expect(safeLabelValue('replica-1.db.internal:5433')).toBe('replica-1.db.internal:5433');
  });

  it('drops credentials and query strings from URLs', () => {
    const label = safeLabelValue('postgres://app:hunter2@replica-1:5432/app?sslpassword=hunter2');
    expect(label).toBe('postgres://replica-1:5432/app');
  });

  it('drops password pairs from key/value connection strings', () => {
    expect(safeLabelValue('host=replica-1 password=hunter2 port=5432')).not.toContain('hunter2');
  });

  it('replaces odd characters and bounds the length', () => {
    expect(safeLabelValue('a"b\nc{d}')).toBe('a_b_c_d');
    expect(safeLabelValue('x'.repeat(100))).toHaveLength(64);
    expect(safeLabelValue('""')).toBe('unknown');
  });
});
