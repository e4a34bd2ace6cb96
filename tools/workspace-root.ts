import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workspace's root folder (the one holding nx.json), found upwards from `from`. The same
 * answer whether a tool runs from its sources (Jest, ts-node) or compiled into dist/run, where
 * paths relative to `__dirname` would land inside dist.
 */
export function workspaceRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No nx.json above ${from}: run the tools from inside the db-optimizer workspace.`);
  }
}
