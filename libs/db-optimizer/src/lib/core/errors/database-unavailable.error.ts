/**
 * Thrown when a server could not be reached (refused, reset, restarting).
 * Keeps the driver's error as `cause` and its SQLSTATE as `code` when it had one.
 * @publicApi
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code?: string;

  constructor(
    message: string,
    readonly pool: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    const cause = options?.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'string') this.code = cause.code;
  }
}
