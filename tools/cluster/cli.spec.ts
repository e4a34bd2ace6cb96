import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './pg-node';
import { waitFor } from '../testing/wait-for';

const ROOT = join(__dirname, '..', '..');

describe('npm run db:up (tools/cluster/cli.ts)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('keeps the cluster up until %s, then leaves no process and no folder', async (signal) => {
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'tools/cluster/cli.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('Press Ctrl-C'), { timeoutMs: 30_000, what: 'the cluster URLs' });
    const folder = /folder (\S+)\)/.exec(output)?.[1] as string;
    expect(output).toMatch(/DATABASE_PRIMARY_URL=postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
    // Still up a moment later: the launcher must not exit on its own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.exitCode).toBeNull();
    const pids = ['primary', 'read-replica', 'analytics-replica'].map((node) =>
      Number(readFileSync(join(folder, node, 'postmaster.pid'), 'utf8').split('\n')[0]),
    );
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
  });
});
