import { Logger } from '@nestjs/common';
import type { SlowQueryEntry } from '../core/slow-query-entry.interface';
import { SlowQueryLog } from './slow-query-log';

const entry = (durationMs: number): SlowQueryEntry => ({
  fingerprint: 'f',
  normalizedSql: 'SELECT pg_sleep($1)',
  durationMs,
  pool: 'primary',
  queryType: 'READ',
  failed: false,
  at: new Date(0).toISOString(),
});

describe('SlowQueryLog', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('keeps the newest entries up to its capacity, newest first', () => {
    const log = new SlowQueryLog(3);
    for (let ms = 101; ms <= 110; ms++) log.add(entry(ms));
    expect(log.size).toBe(3);
    expect(log.entries().map((e) => e.durationMs)).toEqual([110, 109, 108]);
  });

  it('hands out frozen entries', () => {
    const log = new SlowQueryLog(1);
    log.add(entry(200));
    expect(Object.isFrozen(log.entries()[0])).toBe(true);
  });

  it('still tells listeners when its capacity is 0', () => {
    const log = new SlowQueryLog(0);
    const listener = jest.fn();
    log.onSlowQuery(listener);
    log.add(entry(200));
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ durationMs: 200 }));
    expect(log.entries()).toEqual([]);
  });

  it('stops calling a listener once unsubscribed', () => {
    const log = new SlowQueryLog(5);
    const listener = jest.fn();
    const unsubscribe = log.onSlowQuery(listener);
    log.add(entry(200));
    unsubscribe();
    log.add(entry(300));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('logs a listener that throws or rejects, and keeps calling the others', async () => {
    const log = new SlowQueryLog(5);
    const healthy = jest.fn();
    log.onSlowQuery(() => {
      throw new Error('boom');
    });
    log.onSlowQuery(() => Promise.reject(new Error('async boom')));
    log.onSlowQuery(healthy);

    expect(() => log.add(entry(200))).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));

    expect(healthy).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('(boom)'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('(async boom)'));
  });

  it('empties on reset', () => {
    const log = new SlowQueryLog(5);
    log.add(entry(200));
    log.reset();
    expect(log.entries()).toEqual([]);
  });
});
