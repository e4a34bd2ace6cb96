import { formatLsn, PRIMARY_ONLY_LSN } from '../lsn';
import { StaleReadRefusedError } from './stale-read-refused.error';

describe('StaleReadRefusedError', () => {
  const since = Date.UTC(2026, 10, 29, 20, 27, 56);

  it("names the session's last write and suggests reading without a session when older data will do", () => {
    const error = new StaleReadRefusedError('0/17C2B00', since);
    expect(error.message).toContain('2026-11-29T20:27:56.000Z');
    expect(error.message).toContain("no reachable replica has replayed this session's last write (WAL position 0/17C2B00)");
    expect(error.message).toContain('read without sessionKey/consistencyToken');
  });

  it('says when the read was refused for a committed write whose position is unknown, and gives no advice that would not help', () => {
    const error = new StaleReadRefusedError(formatLsn(PRIMARY_ONLY_LSN), since);
    expect(error.requiredLsn).toBe('FFFFFFFF/FFFFFFFF');
    expect(error.message).toContain('a write committed on it has no known WAL position');
    expect(error.message).toContain('2026-11-29T20:27:56.000Z');
    // Every read needs the primary then, with or without a session: that advice would not help.
    expect(error.message).not.toContain('sessionKey');
    expect(error.message).not.toContain('FFFFFFFF');
  });
});
