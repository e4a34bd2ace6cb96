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

  /**
   * Stops the server and waits for it to exit. `fast` disconnects clients, then
   * checkpoints; `immediate` is a crash (recovery runs at the next start).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (this.pid === undefined) return;
    try {
      await this.pgCtl(['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
    } catch (error) {
      // Fall back to an immediate stop so no process outlives the cluster.
      await this.pgCtl(['stop', '-w', '-m', 'immediate', '-D', this.dataDir]).catch(() => undefined);
      if (isAlive(this.pid)) throw new Error(`PostgreSQL node "${this.name}" did not stop.`, { cause: error });
    }
    this.pid = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Whether the server runs now (as far as this launcher started and stopped it). */
  get running(): boolean {
    return this.pid !== undefined;
  }

  /**
   * Turns a standby into a primary (`pg_ctl promote -w`) and waits until it answers
   * `pg_is_in_recovery() = false`, i.e. takes writes.
   */
  async promote(): Promise<void> {
    if (this.pid === undefined) throw new Error(`PostgreSQL node "${this.name}" is not running: start it before promoting it.`);
    await this.pgCtl(['promote', '-w', '-t', '60', '-D', this.dataDir]);
    await waitFor(
      async () => {
        const [row] = await this.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
        return !row.in_recovery || undefined;
      },
      { what: `node "${this.name}" to leave recovery after promotion`, timeoutMs: 60_000 },
    );
  }

  /** Freezes WAL replay on a standby (it keeps receiving WAL, but reads see nothing new). */
  async pauseReplay(): Promise<void> {
    await this.query('SELECT pg_wal_replay_pause()');
  }

  async resumeReplay(): Promise<void> {
    await this.query('SELECT pg_wal_replay_resume()');
  }

  /** Runs one statement on a fresh connection named `application_name`; for admin work, never the app's path. */
  async query<T = Record<string, unknown>>(text: string, params: unknown[] = [], applicationName = 'cluster-admin'): Promise<T[]> {
    const client = new Client({ connectionString: this.url, application_name: applicationName, connectionTimeoutMillis: 5000 });
    // A server stopping under us must fail this call, not crash the process.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
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
