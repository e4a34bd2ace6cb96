/**
 * Where time comes from, so tests can move it by hand.
 * @publicApi
 */
export interface Clock {
  /** Milliseconds, like Date.now(). */
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };
