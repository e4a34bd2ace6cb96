import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunAs } from './os-user';
import type { PgBinaries } from './pg-binaries';

const COMPLETE_MARKER = '.complete';

/**
 * Binaries the PostgreSQL account can run. As root, the servers run as `postgres`, which
 * cannot reach binaries under a folder only root may enter (a checkout in `mktemp -d`,
 * mode 0700). Then the binary tree (bin, lib, share: ~60 MB) is copied once into the
 * temporary folder and reused by every later cluster of the same binaries.
 */
export function binariesRunnableBy(binaries: PgBinaries, runAs: RunAs | undefined): PgBinaries {
  if (!runAs || canRun(binaries.pgCtl, runAs)) return binaries;
  const source = dirname(binaries.binDir);
  const version = statSync(join(binaries.binDir, 'postgres'));
  const key = createHash('sha256').update(`${source}:${version.size}:${version.mtimeMs}`).digest('hex').slice(0, 12);
  const staged = join(tmpdir(), `db-optimizer-pg-${key}`);
  if (!existsSync(join(staged, COMPLETE_MARKER))) stage(source, staged);
  const binDir = join(staged, 'bin');
  return { binDir, initdb: join(binDir, 'initdb'), pgCtl: join(binDir, 'pg_ctl') };
}

function canRun(program: string, runAs: RunAs): boolean {
  try {
    execFileSync(program, ['--version'], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Copies beside the target, then renames: concurrent test workers never see half a copy. */
function stage(source: string, target: string): void {
  const scratch = `${target}.${process.pid}.${Date.now()}`;
  cpSync(source, scratch, { recursive: true, verbatimSymlinks: true });
  chmodSync(scratch, 0o755);
  writeFileSync(join(scratch, COMPLETE_MARKER), '');
  try {
    renameSync(scratch, target);
  } catch {
    // Another process staged the same binaries first: use theirs.
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, COMPLETE_MARKER))) throw new Error(`Could not stage PostgreSQL binaries in ${target}.`);
  }
}
