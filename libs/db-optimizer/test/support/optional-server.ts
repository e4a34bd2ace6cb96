import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describeWithOptionalDependency } from '@db-optimizer/cluster';

/** Whether a PostgreSQL server can run a group of tests, and if not, why. */
export interface ServerProbe {
  available: boolean;
  reason: string;
}

/** A server some tests need and a fresh machine may lack (the README promises `npm ci && npm test` passes there). */
export interface OptionalServer {
  /** What the tests verify, for the message: "HypoPG-verified index advice". */
  tested: string;
  /** Where the server is: the value of `urlVariable`, else the machine's PostgreSQL. */
  url: string;
  /** The variable that points the tests at another server, e.g. HYPOPG_DATABASE_URL. */
  urlVariable: string;
  /** Set to '1' (CI does) to make a missing server a failure instead of a reported skip. */
  requireVariable: string;
  /** What to install or start so the tests run. */
  toRun: string;
  /** A query whose answer has at least one row when the server has what the tests need. */
  needs?: { sql: string; missing: string };
}

// Runs in a child process: Jest registers tests synchronously, so the answer must be known before describe().
const PROBE_SCRIPT = `
const { Client } = require('pg');
const [url, sql, missing] = process.argv.slice(1);
const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
const answer = (available, reason) => { process.stdout.write(JSON.stringify({ available, reason })); };
client.connect()
  .then(() => (sql ? client.query(sql) : { rows: [{}] }))
  .then(({ rows }) => answer(rows.length > 0, rows.length > 0 ? 'available' : missing))
  .catch((error) => answer(false, 'the server cannot be reached: ' + error.message))
  .finally(() => client.end().catch(() => undefined));
`;

/** Asks the server at `url` whether it answers (and has what `needs` asks for), synchronously (at most ~10 s). */
export function probeServer(url: string, needs?: OptionalServer['needs']): ServerProbe {
  const run = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, url, needs?.sql ?? '', needs?.missing ?? ''], {
    cwd: resolve(__dirname, '../../../..'),
    encoding: 'utf8',
    timeout: 10_000,
  });
  try {
    return JSON.parse(run.stdout) as ServerProbe;
  } catch {
    return { available: false, reason: `the probe failed: ${run.error?.message ?? run.stderr.trim()}` };
  }
}

/**
 * Registers `body` (a describe's content) when `server` can run it; otherwise one test
 * reports (or, with `requireVariable` at '1', fails with) what was not tested and why.
 */
export function describeWithOptionalServer(title: string, server: OptionalServer, body: () => void): void {
  const probe = probeServer(server.url, server.needs);
  describeWithOptionalDependency(
    title,
    {
      tested: server.tested,
      available: probe.available,
      reason: probe.reason,
      where: new URL(server.url).host,
      requireVariable: server.requireVariable,
      toRun: `${server.toRun} (or point ${server.urlVariable} at a server that can)`,
    },
    body,
  );
}
