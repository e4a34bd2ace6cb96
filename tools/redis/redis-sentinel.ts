import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../testing/wait-for';
import { askRedis, pairsToMap, parseInfo } from './ask-redis';
import { distinctFreePorts } from '../cluster/free-port';
import { makeFleetFolder, removeFleetFolder } from './fleet-folder';
import type { RedisAddress } from './redis-address';
import { processIsGone, RedisServerProcess } from './redis-server-process';

export interface RedisSentinelOptions {
  /** Number of sentinels watching the master; 3 lets a majority of 2 agree. */
  sentinels: number;
  /**
   * The master's name in `sentinel monitor`, and the `name` ioredis asks for.
   * @default 'fleet-master'
   */
  name?: string;
  /**
   * `down-after-milliseconds`: how long a silent master takes to be judged down.
   * @default 1000
   */
  downAfterMs?: number;
  /**
   * `failover-timeout`, in milliseconds.
   * @default 3000
   */
  failoverTimeoutMs?: number;
}

/** A master, its replica and the sentinels watching them. */
export interface RedisSentinelHandle {
  /** Temp folder holding the sentinel configs and logs; gone after `stop()`. */
  readonly folder: string;
  /** The monitored master's name, for `new Redis({ sentinels, name })`. */
  readonly name: string;
  /** The sentinels' addresses, for `new Redis({ sentinels, name })`. */
  readonly sentinels: RedisAddress[];
  /** OS process ids of the running servers and sentinels. */
  pids(): number[];
  /** The master's address as a sentinel reports it now. */
  master(): Promise<RedisAddress>;
  /**
   * SIGKILLs the current master and waits until every sentinel that answers (not paused) reports
   * the replica as the new master. Works once: the fleet has one replica.
   */
  failover(): Promise<{ previous: RedisAddress; current: RedisAddress }>;
  /**
   * Pauses (SIGSTOP) the sentinel on `port` and returns the function that resumes it: a client
   * asking it for the master waits, for as long as the test decides, while the others go on.
   */
  pauseSentinel(port: number): () => void;
  /**
   * How many clients of the sentinel on `port` are subscribed to a channel: with ioredis'
   * `failoverDetector`, one per client whose detector listens for `+switch-master` there.
   */
  subscribedClients(port: number): Promise<number>;
  /** Kills every process and removes the folder; throws if a process or the folder is left. Safe to call twice. */
  stop(): Promise<void>;
}

const FAILOVER_WAIT_MS = 20_000;
const SENTINELS_AGREE_WAIT_MS = 45_000;

/**
 * Starts one master, one replica and `sentinels` sentinels from the
 * `redis-server` on PATH, on free loopback ports in a temp folder, without
 * persistence. Resolves once every sentinel sees the replica and the other sentinels,
 * so a failover can be authorised at once.
 *
 * @example
 * const fleet = await startRedisSentinel({ sentinels: 3 });
 * const client = new Redis({ sentinels: fleet.sentinels, name: fleet.name });
 * await fleet.failover();
 * await client.set('k', 'v'); // lands on the promoted replica
 * client.disconnect();
 * await fleet.stop();
 */
export async function startRedisSentinel(options: RedisSentinelOptions): Promise<RedisSentinelHandle> {
  const { sentinels, name = 'fleet-master', downAfterMs = 1_000, failoverTimeoutMs = 3_000 } = options;
  if (!Number.isInteger(sentinels) || sentinels < 1) {
    throw new Error(`startRedisSentinel needs sentinels >= 1 (got ${sentinels}); use 3 so a majority can agree on a failover.`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`startRedisSentinel: name "${name}" must be letters, digits, ".", "_" or "-".`);
  const folder = await makeFleetFolder('sentinel');
  const fleet = new RedisSentinelFleet(folder, name, sentinels, downAfterMs, failoverTimeoutMs);
  try {
    await fleet.start();
    return fleet;
  } catch (error) {
    await fleet.stop().catch(() => undefined);
    throw error;
  }
}

class RedisSentinelFleet implements RedisSentinelHandle {
  private dataServers: RedisServerProcess[] = [];
  private sentinelServers: RedisServerProcess[] = [];
  private stopped = false;

  constructor(
    readonly folder: string,
    readonly name: string,
    private readonly sentinelCount: number,
    private readonly downAfterMs: number,
    private readonly failoverTimeoutMs: number,
  ) {}

  get sentinels(): RedisAddress[] {
    return this.sentinelServers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  }

  pids(): number[] {
    return [...this.dataServers, ...this.sentinelServers].flatMap((server) => (server.pid === undefined ? [] : [server.pid]));
  }

  async start(): Promise<void> {
    const [masterPort, replicaPort, ...sentinelPorts] = await distinctFreePorts(2 + this.sentinelCount);
    const noPersistence = ['--save', '', '--appendonly', 'no'];
    const master = new RedisServerProcess({ port: masterPort, folder: this.folder, label: `data-${masterPort}`, args: noPersistence });
    const replica = new RedisServerProcess({
      port: replicaPort,
      folder: this.folder,
      label: `data-${replicaPort}`,
      args: [...noPersistence, '--replicaof', '127.0.0.1', String(masterPort)],
    });
    this.dataServers = [master, replica];
    await Promise.all(this.dataServers.map((server) => server.start()));
    await waitFor(async () => parseInfo(String(await askRedis(replicaPort, 'INFO', 'replication'))).get('master_link_status') === 'up', {
      intervalMs: 50,
      what: `the replica on port ${replicaPort} to link to the master on port ${masterPort}`,
    });

    this.sentinelServers = await Promise.all(sentinelPorts.map((port) => this.sentinelFor(port, masterPort)));
    await Promise.all(this.sentinelServers.map((server) => server.start()));
    await this.waitUntilSentinelsAgree();
  }

  async master(): Promise<RedisAddress> {
    let lastError: unknown;
    for (const sentinel of this.sentinelServers.filter((server) => server.isAnswering)) {
      try {
        return await this.masterSeenBy(sentinel.port);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`No sentinel of "${this.name}" answered with a master address.`, { cause: lastError });
  }

  async failover(): Promise<{ previous: RedisAddress; current: RedisAddress }> {
    const previous = await this.master();
    const victim = this.dataServers.find((server) => server.port === previous.port && server.isRunning);
    const heir = this.dataServers.find((server) => server.port !== previous.port && server.isRunning);
    if (!victim) throw new Error(`failover(): the master on port ${previous.port} is not one of this fleet's running servers.`);
    if (!heir) throw new Error('failover(): no running replica is left to promote; start a new fleet for another failover.');

    await victim.kill();
    await waitFor(
      async () => {
        for (const sentinel of this.sentinelServers.filter((server) => server.isAnswering)) {
          if ((await this.masterSeenBy(sentinel.port)).port !== heir.port) return false;
        }
        const role = (await askRedis(heir.port, 'ROLE')) as [string];
        return role[0] === 'master';
      },
      { timeoutMs: FAILOVER_WAIT_MS, intervalMs: 100, what: `the sentinels to promote port ${heir.port} after killing port ${previous.port}` },
    );
    return { previous, current: { host: '127.0.0.1', port: heir.port } };
  }

  pauseSentinel(port: number): () => void {
    const sentinel = this.sentinelServers.find((server) => server.port === port);
    if (!sentinel) throw new Error(`pauseSentinel(): no sentinel of "${this.name}" listens on port ${port}.`);
    sentinel.pause();
    return () => sentinel.resume();
  }

  async subscribedClients(port: number): Promise<number> {
    const clients = String(await askRedis(port, 'CLIENT', 'LIST')).split('\n');
    return clients.filter((line) => /\bsub=[1-9]/.test(line)).length;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pids = this.pids();
    await Promise.all([...this.sentinelServers, ...this.dataServers].map((server) => server.kill()));
    await removeFleetFolder(this.folder);
    const alive = pids.filter((pid) => !processIsGone(pid));
    if (alive.length > 0) throw new Error(`Redis sentinel fleet processes still running after stop(): pids ${alive.join(', ')}.`);
  }

  /** Sentinel rewrites its config file as it learns, so each one gets its own, writable, file. */
  private async sentinelFor(port: number, masterPort: number): Promise<RedisServerProcess> {
    const configFile = join(this.folder, `sentinel-${port}.conf`);
    const quorum = Math.floor(this.sentinelCount / 2) + 1;
    await writeFile(
      configFile,
      [
        `sentinel monitor ${this.name} 127.0.0.1 ${masterPort} ${quorum}`,
        `sentinel down-after-milliseconds ${this.name} ${this.downAfterMs}`,
        `sentinel failover-timeout ${this.name} ${this.failoverTimeoutMs}`,
        `sentinel parallel-syncs ${this.name} 1`,
        '',
      ].join('\n'),
    );
    return new RedisServerProcess({ port, folder: this.folder, label: `sentinel-${port}`, args: [configFile, '--sentinel'] });
  }

  private async masterSeenBy(sentinelPort: number): Promise<RedisAddress> {
    const reply = await askRedis(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name);
    if (!Array.isArray(reply)) throw new Error(`Sentinel on port ${sentinelPort} does not know a master named "${this.name}".`);
    return { host: String(reply[0]), port: Number(reply[1]) };
  }

  /**
   * Every sentinel sees the master up, its replica, and every other sentinel: a failover needs all three.
   * Sentinels find each other through hello messages every 2 s and refresh the master's INFO every 10 s,
   * so on a loaded machine (the whole suite on two cores) this can take well over 20 s: allow 45 s, and
   * say which sentinel still disagreed, and how, when it times out.
   */
  private async waitUntilSentinelsAgree(): Promise<void> {
    await waitFor(
      async () => {
        for (const sentinel of this.sentinelServers) {
          const state = pairsToMap(await askRedis(sentinel.port, 'SENTINEL', 'MASTER', this.name));
          const agrees =
            state.get('flags') === 'master' &&
            Number(state.get('num-slaves')) >= 1 &&
            Number(state.get('num-other-sentinels')) === this.sentinelCount - 1;
          if (!agrees) {
            throw new Error(
              `sentinel on port ${sentinel.port}: flags ${state.get('flags')}, replicas ${state.get('num-slaves')}, other sentinels ${state.get('num-other-sentinels')}`,
            );
          }
        }
        return true;
      },
      { timeoutMs: SENTINELS_AGREE_WAIT_MS, intervalMs: 100, what: `every sentinel to see the master "${this.name}", its replica and the other sentinels` },
    );
  }
}
