import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, waitFor } from '@db-optimizer/cluster';

const ROOT = join(__dirname, '..', '..', '..');

describe('npm start with no database URL (the embedded default)', () => {
  it('starts its own primary and two standbys, serves /health, and leaves nothing behind on Ctrl-C', async () => {
    const port = await findFreePort();
    // A small seed: this test is about starting and stopping, not about the data.
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DEMO_SEED_LEADS: '1000' };
    for (const name of ['DATABASE_PRIMARY_URL', 'DATABASE_READ_REPLICA_URL', 'DATABASE_ANALYTICS_URL', 'REDIS_URL']) delete env[name];
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/demo-api/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const health = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
          return response?.status === 200 ? ((await response.json()) as { details: { database: { pools: Record<string, { status: string }> } } }) : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, what: 'the demo API to answer /health' },
      );
      expect(Object.values(health.details.database.pools).map((pool) => pool.status)).toEqual(['up', 'up', 'up']);
      expect(output).toMatch(/starting an embedded PostgreSQL primary and two standbys/);
      expect(output).toMatch(/REDIS_URL is not set: the result cache runs in memory only/);
      expect(output).toMatch(/Seeding leads: 1000\/1000 \(100%\)/);
      expect(output).toContain(`Dashboard: http://localhost:${port}/dashboard`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(output).toMatch(/Embedded PostgreSQL cluster stopped/);
    const folder = /\(folder (\S+)\)/.exec(output)?.[1];
    expect(folder).toBeDefined();
    expect(existsSync(folder as string)).toBe(false);
  });
});
