import { ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { answersPing } from './resolve-redis';

const run = promisify(execFile);

/** Every server this process started and has not stopped yet, for the exit guard below. */
const running = new Set<ChildProcess>();
let exitGuardInstalled = false;

/**
 * If the test process dies before `stop()`, its servers would outlive it and keep
 * their ports; SIGKILL them on the way out (an 'exit' handler may only do sync work,
 * and `kill` is sync).
 */
function installExitGuard(): void {
  if (exitGuardInstalled) return;
  exitGuardInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** How to start one `redis-server`: its port, the folder it works in, and extra arguments (or a config file first). */
export interface RedisServerSpec {
  port: number;
  folder: string;
  /** Arguments after `redis-server`, e.g. `['x.conf', '--sentinel']` or `['--cluster-enabled', 'yes']`. */
  args: string[];
  /** Shown in errors and used for the log file name. */
  label: string;
}

/** One `redis-server` child process that can be killed and started again on the same port and folder. */
export class RedisServerProcess {
  private child: ChildProcess | undefined;
  private paused = false;

  constructor(private readonly spec: RedisServerSpec) {}

  get port(): number {
    return this.spec.port;
  }

  get label(): string {
    return this.spec.label;
  }

  /** The OS process id while it runs, else undefined. */
  get pid(): number | undefined {
    return this.isRunning ? this.child?.pid : undefined;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Running and not paused: it answers commands. */
  get isAnswering(): boolean {
    return this.isRunning && !this.paused;
  }

  get logFile(): string {
    return join(this.spec.folder, `${this.spec.label}.log`);
  }

  /** Spawns the server and resolves once it answers PING; rejects with its log tail if it exits or stays silent. */
  async start(timeoutMs = 10_000): Promise<void> {
    if (this.isRunning) throw new Error(`${this.label} (port ${this.port}) is already running; kill it before starting it again.`);
    const args = [...this.spec.args, '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.spec.folder, '--logfile', this.logFile];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    running.add(child);
    installExitGuard();
    child.once('exit', () => running.delete(child));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) =>
        reject(new Error('`redis-server` is not on PATH; install Redis 7 (apt-get install redis-server).', { cause: error })),
      );
      child.once('exit', async (code, signal) =>
        reject(new Error(`${this.label} exited while starting (code ${code}, signal ${signal}). Log tail:\n${await this.logTail()}`)),
      );
    });
    failed.catch(() => undefined);
    await Promise.race([this.waitForPing(timeoutMs), failed]);
  }

  /** SIGKILL, as a crash would: no shutdown, no goodbye to replicas or sentinels. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /**
   * SIGSTOP: the process keeps its port and the kernel still accepts connections, but it
   * answers nothing until `resume()`, like a server stuck in a long pause.
   */
  pause(): void {
    if (!this.isRunning) throw new Error(`${this.label} (port ${this.port}) is not running; start it before pausing it.`);
    this.child?.kill('SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT after `pause()`: the server answers what it was sent meanwhile. */
  resume(): void {
    if (this.isRunning) this.child?.kill('SIGCONT');
    this.paused = false;
  }

  private async waitForPing(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning) return new Promise(() => undefined); // the 'exit' rejection reports it
      if (await answersPing('127.0.0.1', this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${this.label} on port ${this.port} did not answer PING within ${timeoutMs} ms. Log tail:\n${await this.logTail()}`);
  }

  private async logTail(lines = 15): Promise<string> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '(no log file)');
    return text.trim().split('\n').slice(-lines).join('\n');
  }
}

/** Runs `redis-cli` with the given arguments and returns its stdout; the error carries stdout and stderr. */
export async function redisCli(args: string[], timeoutMs = 30_000): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', args, { timeout: timeoutMs });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** True when no process with this id exists any more (signal 0 only checks). */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
