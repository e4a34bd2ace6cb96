import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * One file per workspace path alias (`@db-optimizer/core` → libs/db-optimizer/src/index.ts), in
 * `<outDir>/node_modules`, that re-exports the compiled target. tsc leaves the alias in the
 * emitted `require()`; Node then finds it by its ordinary node_modules lookup from any file
 * under outDir, so the compiled demo and tools run with a plain `node`, no resolver hook.
 */
export function writeAliasStubs(paths: Record<string, string[]>, outDir: string, root: string): string[] {
  return Object.entries(paths).map(([alias, [target]]) => {
    // A bare package name resolves to its folder's index.js; a subpath (`@db-optimizer/core/health`) to `<subpath>.js`.
    const isPackage = alias.split('/').length === (alias.startsWith('@') ? 2 : 1);
    const stub = join(outDir, 'node_modules', isPackage ? join(alias, 'index.js') : `${alias}.js`);
    const compiled = join(outDir, relative(root, target)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(stub), { recursive: true });
    const specifier = relative(dirname(stub), compiled);
    writeFileSync(stub, `module.exports = require(${JSON.stringify(specifier.startsWith('.') ? specifier : `./${specifier}`)});\n`);
    return `${alias} -> ${relative(outDir, compiled)}`;
  });
}
