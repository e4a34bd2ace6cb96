/** The parts of an HTTP request the interceptor reads (Express and Fastify requests both fit). */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}

/**
 * Where the read-your-writes interceptor finds the session key and the token.
 * @publicApi
 */
export interface ReadYourWritesOptions {
  /** Request header naming the session (who is asking). @default 'x-session-key' */
  sessionKeyHeader?: string;
  /** Request header with a token from an earlier write; the response carries the newest token in it. @default 'x-consistency-token' */
  tokenHeader?: string;
  /**
   * The session key as a function of the request (e.g. the authenticated user's id); when it
   * gives undefined, the header is used.
   * @example
   * sessionKey: (request) => (request.user as { id?: string } | undefined)?.id
   */
  sessionKey?: (request: RequestLike) => string | undefined;
}
