/** Longest label value kept, in characters. */
const MAX_LABEL_LENGTH = 64;

/**
 * Makes a name safe to use as a Prometheus label value: credentials and query
 * strings are removed from URL-like names (`postgres://app:secret@replica-1/db`
 * becomes `postgres://replica-1/db`), `password=...` pairs are dropped, and
 * the rest is limited to a small character set and length. Names are meant to
 * be roles or host names already; this keeps a misconfigured caller from
 * publishing a password on the metrics endpoint.
 */
export function safeLabelValue(name: string): string {
  const cleaned = String(name)
    .replace(/\/\/[^/@\s]*@/g, '//')
    .replace(/[?#][\s\S]*$/, '')
    .replace(/\b(password|passwd|pwd|secret|token)\s*=\s*\S*/gi, '')
    .replace(/[^A-Za-z0-9_.:/-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL_LENGTH);
  return cleaned === '' ? 'unknown' : cleaned;
}
