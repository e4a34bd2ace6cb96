import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now: number;
  const breaker = () => new CircuitBreaker({ failureThreshold: 3, probeBackoffMs: 250, probeBackoffMaxMs: 1000 }, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('stays closed below the threshold and opens at it', () => {
    const subject = breaker();
    expect(subject.recordFailure()).toBe(false);
    expect(subject.recordFailure()).toBe(false);
    expect(subject.tryPass()).toBe(true);
    expect(subject.recordFailure()).toBe(true);
    expect(subject.state).toBe('open');
    expect(subject.openSinceMs).toBe(now);
    expect(subject.tryPass()).toBe(false);
  });

  it('a success in between resets the count', () => {
    const subject = breaker();
    subject.recordFailure();
    subject.recordFailure();
    subject.recordSuccess();
    expect(subject.recordFailure()).toBe(false);
    expect(subject.state).toBe('closed');
  });

  it('lets one probe through after the backoff, and only one', () => {
    const subject = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    now += 249;
    expect(subject.tryPass()).toBe(false);
    now += 1;
    expect(subject.tryPass()).toBe(true);
    expect(subject.state).toBe('half_open');
    expect(subject.tryPass()).toBe(false);
  });

  it('doubles the backoff after each failed probe, up to the maximum', () => {
    const subject = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    const waits: number[] = [];
    for (let probe = 0; probe < 4; probe++) {
      now += subject.nextProbeInMs;
      expect(subject.tryPass()).toBe(true);
      subject.recordFailure();
      waits.push(subject.nextProbeInMs);
    }
    expect(waits).toEqual([500, 1000, 1000, 1000]);
  });

  it('closes when the probe succeeds', () => {
    const subject = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    now += 250;
    subject.tryPass();
    expect(subject.recordSuccess()).toBe(true);
    expect(subject.state).toBe('closed');
    expect(subject.openSinceMs).toBeUndefined();
    expect(subject.tryPass()).toBe(true);
  });
});
