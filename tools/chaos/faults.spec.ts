import { FAULT_KINDS, faultsFrom } from './faults';

describe('faultsFrom', () => {
  it('takes a count from the start of the default order', () => {
    expect(faultsFrom('3')).toEqual(['replica-stop', 'replay-pause', 'terminate-backends']);
  });

  it('runs every fault, promotion last, when none is given', () => {
    expect(faultsFrom(undefined)).toEqual([...FAULT_KINDS]);
    expect(FAULT_KINDS[FAULT_KINDS.length - 1]).toBe('promotion');
  });

  it('takes a list of kinds in the given order', () => {
    expect(faultsFrom('redis-stop,replica-stop')).toEqual(['redis-stop', 'replica-stop']);
  });

  it('names an unknown fault and lists the known ones', () => {
    expect(() => faultsFrom('replica-stop,disk-full')).toThrow(/unknown fault disk-full; known faults are replica-stop/);
  });

  it('refuses a promotion that is not last', () => {
    expect(() => faultsFrom('promotion,redis-stop')).toThrow(/promotion .* must come last/);
  });

  it('refuses a count beyond the known faults', () => {
    expect(() => faultsFrom('12')).toThrow(/from 0 to 8/);
  });
});
