import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PgBinaries } from './pg-binaries';
import { waitFor } from '../testing/wait-for';
import { RunAs, handOver } from './os-user';

const run = promisify(execFile);

/** One PostgreSQL server of the local cluster: a data folder, a port, a role. */
export class PgNode {
  private pid: number | undefined;

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly binaries: PgBinaries,
    private readonly runAs: RunAs | undefined,
  ) {}

  /** Connection URL; the cluster trusts local connections, so no password. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get logFile(): string {
    return `${this.dataDir}.log`;
  }

  /** The postmaster's process id while the server runs. */
  get processId(): number | undefined {
    return this.pid;
  }

  /** Appends settings to postgresql.conf; later lines win, so this overrides. */
  configure(settings: Record<string, string | number>): void {
    const lines = Object.entries(settings).map(([key, value]) => `${key} = ${quote(value)}`);
    appendFileSync(join(this.dataDir, 'postgresql.conf'), `\n${lines.join('\n')}\n`);
  }

  /** Writes a file into the data folder, owned by the PostgreSQL account. */
  writeDataFile(relativePath: string, content: string): void {
    const path = join(this.dataDir, relativePath);
    writeFileSync(path, content);
    handOver(path, this.runAs);
  }

  /** Starts the server and waits until it accepts connections (a hot standby counts). */
  async start(): Promise<void> {
    try {
      await this.pgCtl(['start', '-w', '-t', '60', '-D', this.dataDir, '-l', this.logFile]);
    } catch (error) {
      throw new Error(`PostgreSQL node "${this.name}" did not start; its log is ${this.logFile}:\n${this.tailLog()}`, {
        cause: error,
      });
    }
    this.pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** Stops the server (fast mode: disconnects clients, then checkpoints) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.pid === undefined) return;
    try {
      await this.pgCtl(['stop', '-w', '-t', '60', '-m', 'fast', '-D', this.dataDir]);
    } catch (error) {
      // Fall back to an immediate stop so no process outlives the cluster.
      await this.pgCtl(['stop', '-w', '-m', 'immediate', '-D', this.dataDir]).catch(() => undefined);
      if (isAlive(this.pid)) throw new Error(`PostgreSQL node "${this.name}" did not stop.`, { cause: error });
    }
    this.pid = undefined;
  }

  /**
   * Promotes a standby to primary (`pg_ctl promote -w`) and waits until it
   * answers `pg_is_in_recovery() = false`, i.e. takes writes.
   */
  async promote(): Promise<void> {
    await this.pgCtl(['promote', '-w', '-t', '60', '-D', this.dataDir]);
    await waitFor(
      async () => {
        const client = new Client({ connectionString: this.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
          return !rows[0].in_recovery;
        } finally {
          await client.end();
        }
      },
      { what: `node "${this.name}" to leave recovery after promotion`, timeoutMs: 60_000 },
    );
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async pgCtl(args: string[]): Promise<void> {
    await run(this.binaries.pgCtl, args, { uid: this.runAs?.uid, gid: this.runAs?.gid, env: serverEnv() });
  }

  private tailLog(): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log written)';
    }
  }
}

/**
 * Whether a process with this id still runs. A zombie (exited, not yet reaped
 * by its adoptive parent) counts as gone: it holds no port and no files.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** The server gets a minimal, predictable environment: no PG* variables leak into it. */
export function serverEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], LANG: 'C', LC_ALL: 'C' };
}

function quote(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}
