import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster } from '../cluster/local-cluster';
import { workspaceRoot } from '../workspace-root';
import { CONSUMER_MAIN, consumerManifest, consumerProblems, ConsumerResult } from './consumer-app';

const ROOT = workspaceRoot();
const DIST = join(ROOT, 'dist/libs/db-optimizer');

/**
 * `npm run pack-check`: builds the library, packs it as npm would publish it, installs the
 * tarball into a fresh Nest app in a temporary folder outside the workspace, and runs a query
 * through it against a real PostgreSQL (DATABASE_URL, else a local cluster started here).
 * Proves the package installs and works without the workspace's path aliases or sources.
 */
async function main(): Promise<void> {
  step('building @db-optimizer/core');
  run('npx', ['nx', 'build', 'db-optimizer', '--skip-nx-cache'], ROOT, { NX_DAEMON: 'false' });
  const work = mkdtempSync(join(tmpdir(), 'db-optimizer-pack-check-'));
  let cluster: LocalCluster | undefined;
  try {
    step(`packing into ${work}`);
    const tarball = join(work, run('npm', ['pack', DIST, '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop() ?? '');
    const app = join(work, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), consumerManifest(tarball, peerVersions()));
    writeFileSync(join(app, 'main.js'), CONSUMER_MAIN);
    step('installing the tarball and the peers into the fresh app');
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    let url = process.env['DATABASE_URL'];
    if (!url) {
      step('starting a local PostgreSQL (no DATABASE_URL)');
      cluster = await LocalCluster.start();
      url = cluster.primary.url;
    }
    step('running a query through the installed package');
    const output = run('node', ['main.js'], app, { DATABASE_URL: url }).trim();
    const problems = consumerProblems(JSON.parse(output.split('\n').pop() ?? '{}') as ConsumerResult);
    if (problems.length > 0) throw new Error(`The packed library answered ${output}: ${problems.join('; ')}.`);
    step(`ok: ${output}`);
  } finally {
    await cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The peer versions the workspace itself runs with, so the check needs nothing the cache lacks. */
function peerVersions(): Record<string, string> {
  const workspace = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const peers = ['@nestjs/common', '@nestjs/core', '@nestjs/schedule', '@nestjs/terminus', 'pg', 'reflect-metadata', 'rxjs'];
  return Object.fromEntries(peers.map((name) => [name, workspace.dependencies[name]]));
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function step(message: string): void {
  console.log(`[pack-check] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
