import { ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { findFreePort } from '../cluster/free-port';

/** A Redis server to use, and how to let go of it. */
export interface RedisHandle {
  url: string;
  /** Where it came from: the environment, the machine's default port, or a server we started. */
  source: 'env' | 'default-port' | 'spawned';
  /** Stops the server if we started it; otherwise does nothing. */
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * `REDIS_URL` when set; else 127.0.0.1:6379 when it answers PING; else a
 * `redis-server` from PATH on a free port, stopped by `stop()`.
 */
export async function resolveRedis(env: NodeJS.ProcessEnv = process.env): Promise<RedisHandle> {
  const fromEnv = env['REDIS_URL'];
  if (fromEnv) return { url: fromEnv, source: 'env', stop: async () => undefined };
  if (await answersPing('127.0.0.1', 6379)) return { url: DEFAULT_URL, source: 'default-port', stop: async () => undefined };
  return spawnRedis();
}

/** Starts a throwaway `redis-server` (no persistence) on a free port. */
export async function spawnRedis(port?: number): Promise<RedisHandle & { port: number; process: ChildProcess }> {
  const chosenPort = port ?? (await findFreePort());
  const child = spawn('redis-server', ['--port', String(chosenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(
        new Error(
          'No Redis found: REDIS_URL is not set, nothing answers on 127.0.0.1:6379 and `redis-server` is not on PATH. ' +
            'Install Redis (apt-get install redis-server) or set REDIS_URL.',
          { cause: error },
        ),
      ),
    ),
  );
  await Promise.race([waitForPing(chosenPort), spawnError]);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  return { url: `redis://127.0.0.1:${chosenPort}`, source: 'spawned', port: chosenPort, process: child, stop };
}

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answersPing('127.0.0.1', port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms.`);
}

/** Sends an inline PING and waits for +PONG, without a Redis client library. */
export function answersPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, host, () => socket.write('PING\r\n'));
  });
}
