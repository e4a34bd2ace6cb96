import { integerFlag, numberFlag, parseFlags } from '../chaos/cli-args';

export interface LoadOptions {
  /** Base URL of the demo; loopback only. */
  url: string;
  /** Requests started per second (open loop: the rate holds when the server slows down, up to `concurrency`). */
  rate: number;
  durationS: number;
  /** Requests in flight at most; a request due while this many are out is skipped and counted. */
  concurrency: number;
  /** Share of writes (create, update, activity, conversion, import) among the requests. */
  writeRatio: number;
  seed: number;
}

const FLAGS = ['url', 'rate', 'duration', 'concurrency', 'write-ratio', 'seed'];
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export const LOAD_USAGE =
  'npm run load -- [--url http://127.0.0.1:3000] [--rate 50] [--duration 30] [--concurrency 32] [--write-ratio 0.1] [--seed 1]';

/** The flags of `npm run load`; a bad one throws, saying what it must be. */
export function parseLoadOptions(argv: readonly string[]): LoadOptions {
  const flags = parseFlags(argv, FLAGS);
  const url = flags.get('url') ?? `http://127.0.0.1:${process.env['PORT'] ?? 3000}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url ${url}: give a URL such as http://127.0.0.1:3000.`);
  }
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(parsed.hostname)) {
    throw new Error(`--url ${url}: the load generator only targets this machine (http://127.0.0.1, localhost or [::1]).`);
  }
  return {
    url: parsed.origin,
    rate: integerFlag(flags, 'rate', 50, 1, 2000),
    durationS: integerFlag(flags, 'duration', 30, 1, 600),
    concurrency: integerFlag(flags, 'concurrency', 32, 1, 256),
    writeRatio: numberFlag(flags, 'write-ratio', 0.1, 0, 1),
    seed: integerFlag(flags, 'seed', 1, 0, 2 ** 31 - 1),
  };
}
