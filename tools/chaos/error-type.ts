/**
 * How an error is counted: its class and, when it has one, its code (a
 * PostgreSQL SQLSTATE or a Node socket code), looked up through `cause` too,
 * since the module wraps driver errors.
 */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error ${typeof error}`;
  const code = codeOf(error);
  return code ? `${error.constructor.name} ${code}` : error.constructor.name;
}

function codeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.length > 0) return code;
  return codeOf((error as { cause?: unknown }).cause, depth + 1);
}

/** The first line of the message, short enough for a table. */
export function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 160);
}
