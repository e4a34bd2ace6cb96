import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace-root';
import { writeAliasStubs } from './alias-stubs';

/**
 * `npm run build:run`, after `tsc -p tools/tsconfig.run.json` has compiled the demo and the
 * tools (with decorator metadata, which Nest's injection needs) into dist/run: makes the
 * workspace aliases resolvable there and copies the files the demo serves.
 */
function main(): void {
  const root = workspaceRoot();
  const outDir = join(root, 'dist/run');
  const { paths } = (JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions;
  writeAliasStubs(paths, outDir, root);
  // tsc copies no assets: the dashboard's page, script and styles.
  const dashboard = 'apps/demo-api/src/dashboard/public';
  cpSync(join(root, dashboard), join(outDir, dashboard), { recursive: true });
}

main();
