/**
 * The one way the library prints a connection string (errors, logs, health, metrics):
 * parsed where it parses, masked conservatively where it does not. Passwords are
 * replaced by `***`, never shortened, so no part of one ever shows.
 */

const MASK = '***';

// Query parameters and key=value settings whose values are secrets (`password`, `sslpassword`, `passfile`...).
const SECRET_KEY = /pass|secret|token/i;

// key=value settings in free text: `password=x`, `password = 'a b'`, `?sslpassword=x&...`.
const SECRET_SETTING = /\b([\w-]*(?:pass|secret|token)[\w-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^&\s]*)/gi;

/**
 * The text with every password hidden: the user-info password of a URL (also one with an
 * unencoded `@` in it), `password=` / `sslpassword=` query parameters, key=value connection
 * strings (`host=db password=x`), and text that does not parse at all.
 *
 * @example
 * redactUrl('postgres://app:s3cr@t@db:5432/x'); // 'postgres://app:***@db:5432/x'
 * redactUrl('postgres://db/x?user=a&password=topsecret'); // 'postgres://db/x?user=a&password=***'
 */
export function redactUrl(text: string): string {
  const parsed = parseUnambiguous(text);
  return parsed === undefined ? redactUnparsed(text) : redactParsed(text, parsed);
}

/**
 * `host:port` of a database URL as `pg` connects to it (a `host`/`port` query parameter wins,
 * as in pg-connection-string), for messages and labels: it never carries a password.
 */
export function serverOf(url: string): string {
  const parsed = parseUnambiguous(url);
  if (parsed === undefined) return 'unknown server';
  const host = parsed.searchParams.get('host') || parsed.hostname || 'localhost';
  const port = parsed.searchParams.get('port') || parsed.port || '5432';
  return `${host}:${port}`;
}

/**
 * The URL, when the parser and a reader agree on where the password is. An `@` left in the path,
 * query or fragment means part of the user-info spilled there (an unencoded `?`, `#` or `/` in a
 * password): the parse cannot be trusted to have found all of it.
 */
function parseUnambiguous(text: string): URL | undefined {
  if (!text.includes('://')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  if (`${parsed.pathname}${parsed.search}${parsed.hash}`.includes('@')) return undefined;
  return parsed;
}

function redactParsed(text: string, url: URL): string {
  const secretKeys = [...url.searchParams.keys()].filter((key) => SECRET_KEY.test(key));
  // Nothing to hide: print the text as given, not the parser's normalized form.
  if (url.password === '' && secretKeys.length === 0) return text;
  if (url.password !== '') url.password = MASK;
  for (const key of secretKeys) url.searchParams.set(key, MASK);
  // The parser percent-encodes the mask; print it plainly.
  return url.href.replace(/%2A%2A%2A/gi, MASK);
}

/**
 * Text that is not a URL we can trust: everything between the first `:` after the scheme and the
 * last `@` is taken for a password (too much rather than too little), then every secret setting.
 */
function redactUnparsed(text: string): string {
  const schemeEnd = text.indexOf('://');
  const start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
  const at = text.lastIndexOf('@');
  let masked = text;
  if (at > start) {
    const colon = text.indexOf(':', start);
    if (colon >= 0 && colon < at) masked = `${text.slice(0, colon + 1)}${MASK}${text.slice(at)}`;
  }
  return masked.replace(SECRET_SETTING, (_match, key: string, equals: string) => `${key}${equals}${MASK}`);
}
