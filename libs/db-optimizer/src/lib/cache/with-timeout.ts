/** Rejection of `withTimeout()`: the call may still finish later; its result is ignored. */
export class CallTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what} did not answer within ${timeoutMs} ms.`);
    this.name = 'CallTimeoutError';
  }
}

/** Settles like `promise`, or rejects with `CallTimeoutError` after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what = 'Redis'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
