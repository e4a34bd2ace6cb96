import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp dir for one fleet's configs, logs and node files. */
export function makeFleetFolder(kind: 'cluster' | 'sentinel'): Promise<string> {
  return mkdtemp(join(tmpdir(), `db-optimizer-redis-${kind}-`));
}

/** Removes the folder and checks it is gone, so a leak fails loudly instead of filling /tmp. */
export async function removeFleetFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  if (existsSync(folder)) throw new Error(`Could not remove the Redis fleet folder ${folder}; remove it by hand.`);
}
