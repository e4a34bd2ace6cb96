import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace-root';

/** Writes a run's JSON under bench/results/ (created if missing); returns the path. */
export function writeResult(fileName: string, data: unknown): string {
  const dir = join(workspaceRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
