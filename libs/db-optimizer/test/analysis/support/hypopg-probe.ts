import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Whether a server offers HypoPG, and if not, why. */
export interface HypopgProbe {
  available: boolean;
  reason: string;
}

// Runs in a child process: Jest registers tests synchronously, so the answer must be known before describe().
const PROBE_SCRIPT = `
const { Client } = require('pg');
const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
const answer = (available, reason) => { process.stdout.write(JSON.stringify({ available, reason })); };
client.connect()
  .then(() => client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'"))
  .then(({ rows }) => answer(rows.length > 0, rows.length > 0 ? 'available' : 'the server has no hypopg extension package'))
  .catch((error) => answer(false, 'the server cannot be reached: ' + error.message))
  .finally(() => client.end().catch(() => undefined));
`;

/** Asks the server at `url` whether HypoPG can be created there, synchronously (at most ~10 s). */
export function probeHypopg(url: string): HypopgProbe {
  const run = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, url], {
    cwd: resolve(__dirname, '../../../../..'),
    encoding: 'utf8',
    timeout: 10_000,
  });
  try {
    return JSON.parse(run.stdout) as HypopgProbe;
  } catch {
    return { available: false, reason: `the probe failed: ${run.error?.message ?? run.stderr.trim()}` };
  }
}
