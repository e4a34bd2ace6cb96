import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

const SCHEMA = join(__dirname, 'schema.prisma');

/**
 * Writes the Prisma client for schema.prisma into ./generated (git-ignored), offline.
 *
 * `prisma generate` reads the schema with the WebAssembly build the CLI carries and needs no
 * native engine, but the CLI checks for its native schema engine before `generate` all the same,
 * and downloads it from binaries.prisma.sh when missing. PRISMA_SCHEMA_ENGINE_BINARY, pointed at
 * any existing file, ends that check; the file named is the CLI's own wasm schema engine, which
 * is not an executable: a command that did spawn the native engine would fail loudly, not quietly.
 */
export function generatePrismaClient(): void {
  const cli = require.resolve('prisma/build/index.js');
  execFileSync(process.execPath, [cli, 'generate', '--schema', SCHEMA], {
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: join(dirname(cli), 'schema_engine_bg.wasm'),
      // No update check or telemetry call home: this machine reaches only the npm registry.
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
    stdio: 'pipe',
  });
}

// `npm run prisma:generate` (the type check needs the generated types before tsc runs).
if (require.main === module) generatePrismaClient();
