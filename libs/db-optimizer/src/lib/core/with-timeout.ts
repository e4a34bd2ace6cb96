/** Rejection of `withTimeout()`: the call may still finish later; its result is ignored. */
export class CallTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what} did not answer within ${timeoutMs} ms.`);
    this.name = 'CallTimeoutError';
  }
}

/**
 * Settles like `promise`, or rejects with `CallTimeoutError` after `timeoutMs`.
 *
 * After an event-loop stall, timers run before pending I/O: the answer may already sit in
 * the socket. The rejection therefore waits for `setImmediate`, which runs after the I/O
 * of the same loop turn, so a stall alone never counts as a timeout (and as an outage).
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new CallTimeoutError(what, timeoutMs))), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
