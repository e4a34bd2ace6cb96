import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port handed out: below it live well-known services (PostgreSQL 5432, Redis 6379, ...). */
const LOWEST_PORT = 10_000;
/** Fewer candidates than this outside the ephemeral range and we let the kernel choose instead. */
const MIN_CANDIDATES = 1_000;
const ATTEMPTS = 50;
const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

/** Ports this process already handed out, so two servers of one test never get the same one. */
const handedOut = new Set<number>();

/**
 * A free TCP port on the loopback interface for a server we are about to start.
 *
 * Not one the kernel picks with `listen(0)`: those come from the ephemeral range,
 * the same range every outgoing connection (to PostgreSQL, Redis, ...) takes its
 * local port from. Between our check and the server's own bind, a connection made
 * by a parallel Jest worker can take it, and the server dies with "Address already
 * in use" (it happened in CI to a Redis sentinel). So the port is drawn at random
 * from below the ephemeral range, where only listeners bind, and checked free.
 */
export async function findFreePort(rangeFile?: string): Promise<number> {
  const range = portsOutsideEphemeralRange(rangeFile);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    // Without a known range, the kernel's choice: it may hand a released port out again, so repeats are asked again.
    const port = await bindOnce(range ? range.from + Math.floor(Math.random() * (range.to - range.from + 1)) : 0);
    if (port === undefined || handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  const where = range ? `in ${range.from}-${range.to}` : 'from the kernel';
  throw new Error(`No free port on 127.0.0.1 ${where} after ${ATTEMPTS} tries; free some ports or widen the range.`);
}

/** `count` distinct free loopback ports; `rangeFile` stands in for the kernel's ephemeral range (tests). */
export async function distinctFreePorts(count: number, rangeFile?: string): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await findFreePort(rangeFile));
  return ports;
}

/** The ports from LOWEST_PORT up to the start of Linux's ephemeral range, or undefined where that range is unknown or leaves too few. */
export function portsOutsideEphemeralRange(rangeFile = EPHEMERAL_RANGE_FILE): { from: number; to: number } | undefined {
  let text: string;
  try {
    text = readFileSync(rangeFile, 'utf8');
  } catch {
    return undefined;
  }
  const [low] = text.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(low) || low - LOWEST_PORT < MIN_CANDIDATES) return undefined;
  return { from: LOWEST_PORT, to: low - 1 };
}

/** Binds `port` on 127.0.0.1 (0: the kernel chooses) and lets it go: the port bound, or undefined when it was taken. */
function bindOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
