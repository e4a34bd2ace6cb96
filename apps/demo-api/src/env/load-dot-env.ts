import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as util from 'node:util';

/** What `loadDotEnv` did, for the start-up log. */
export interface DotEnvResult {
  /** Absolute path of the file looked for. */
  path: string;
  /** False when there is no such file (nothing changed). */
  found: boolean;
  /** Variables taken from the file. */
  loaded: string[];
  /** Variables the file sets too but the environment already had: the environment wins. */
  kept: string[];
}

/**
 * Loads `.env` (or `path`) into `env` when the file exists, never overriding a variable that is
 * already set, so `PORT=4000 npm start` beats the file. A missing file is no error: Node 20's
 * `--env-file` refuses to start without one, hence this loader.
 *
 * It parses with `util.parseEnv` (Node ≥ 20.12, the parser behind `process.loadEnvFile`) rather
 * than calling `process.loadEnvFile`, so it can tell which variables came from the file; on older
 * Node it falls back to a small parser of the same format.
 *
 * @example
 * const result = loadDotEnv();
 * logger.log(describeDotEnv(result));
 */
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): DotEnvResult {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { path: absolute, found: false, loaded: [], kept: [] };
  const parsed = parseDotEnv(readFileSync(absolute, 'utf8'));
  const loaded: string[] = [];
  const kept: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    if (env[name] !== undefined) {
      kept.push(name);
      continue;
    }
    env[name] = value;
    loaded.push(name);
  }
  return { path: absolute, found: true, loaded: loaded.sort(), kept: kept.sort() };
}

/** One line for the start-up log: which file, how many variables, which were left to the environment. */
export function describeDotEnv(result: DotEnvResult): string {
  if (!result.found) return `No ${result.path}: using the environment only (cp .env.example .env to start from the example).`;
  const kept = result.kept.length > 0 ? `; already set, kept from the environment: ${result.kept.join(', ')}` : '';
  return `Loaded ${result.loaded.length} variable(s) from ${result.path}${kept}.`;
}

/** `util.parseEnv` when this Node has it, else {@link parseDotEnvFallback}. */
export function parseDotEnv(content: string): Record<string, string | undefined> {
  const parseEnv = (util as { parseEnv?: (text: string) => NodeJS.Dict<string> }).parseEnv;
  return parseEnv ? parseEnv(content) : parseDotEnvFallback(content);
}

/**
 * The dotenv format for Node before 20.12: `NAME=value` lines, `export ` prefixes, `#` comments
 * (whole lines, or after an unquoted value), single, double or backtick quotes, `\n` in double quotes.
 */
export function parseDotEnvFallback(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const rawLine of content.split(/\r?\n/)) {
    const line = rawLine.trim().replace(/^export\s+/, '');
    const match = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    result[match[1]] = unquote(match[2]);
  }
  return result;
}

function unquote(raw: string): string {
  const quote = raw[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = raw.indexOf(quote, 1);
    if (end > 0) {
      const inner = raw.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
    }
  }
  return raw.replace(/\s+#.*$/, '').trim();
}
