import { join } from 'node:path';
import { waitFor } from '../testing/wait-for';
import { askRedis, parseInfo } from './ask-redis';
import type { RedisAddress } from './redis-address';
import { ClusterNodeLine, parseClusterNodes } from './cluster-topology';
import { distinctFreePorts } from '../cluster/free-port';
import { makeFleetFolder, removeFleetFolder } from './fleet-folder';
import { processIsGone, redisCli, RedisServerProcess } from './redis-server-process';

/** One node of the fleet as last seen by the harness. Roles change on failover. */
export interface RedisClusterNode extends RedisAddress {
  /** Stable position in `handle.nodes`, whatever the role. */
  index: number;
  role: 'master' | 'replica';
  running: boolean;
}

export interface RedisClusterOptions {
  /** Number of masters; Redis Cluster needs at least 3. */
  masters: number;
  /**
   * 1 gives each master a replica, so `killMaster` can fail over.
   * @default 0
   */
  replicasPerMaster?: 0 | 1;
  /**
   * `cluster-node-timeout`: how long a silent node takes to be declared failed.
   * @default 1000
   */
  nodeTimeoutMs?: number;
}

/** A running Redis Cluster and the levers a test needs on it. */
export interface RedisClusterHandle {
  /** Temp folder holding every node's `nodes-<port>.conf` and log; gone after `stop()`. */
  readonly folder: string;
  readonly nodes: readonly RedisClusterNode[];
  /** Every node's address, for `new Cluster(startupNodes)`. */
  readonly startupNodes: RedisAddress[];
  /** OS process ids of the running nodes. */
  pids(): number[];
  /** Index in `nodes` of the master that serves `key`'s slot now. */
  masterIndexForKey(key: string): Promise<number>;
  /** Waits until every online replica has applied all its master's writes (replication is asynchronous). */
  waitForReplication(): Promise<void>;
  /** SIGKILLs the master at `nodes[index]`, waits until its replica is promoted and the cluster is ok again. */
  killMaster(index: number): Promise<{ killed: RedisClusterNode; promoted: RedisClusterNode }>;
  /** Kills the node at `nodes[index]` if it runs, starts it again on the same port and config, waits until it has rejoined. */
  restartNode(index: number): Promise<RedisClusterNode>;
  /** Kills every node and removes the folder; throws if a process or the folder is left. Safe to call twice. */
  stop(): Promise<void>;
}

const FAILOVER_TIMEOUT_MS = 20_000;

/**
 * Starts a Redis Cluster from the `redis-server` and `redis-cli` on PATH: free
 * loopback ports, a temp folder, no persistence, created with
 * `redis-cli --cluster create`. Resolves once every node reports `cluster_state:ok`.
 *
 * @example
 * const redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
 * const client = new Cluster(redis.startupNodes);
 * // ...
 * await client.quit();
 * await redis.stop();
 */
export async function startRedisCluster(options: RedisClusterOptions): Promise<RedisClusterHandle> {
  const { masters, replicasPerMaster = 0, nodeTimeoutMs = 1_000 } = options;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new Error(`startRedisCluster needs masters >= 3 (got ${masters}): Redis Cluster refuses to form with fewer.`);
  }
  if (replicasPerMaster !== 0 && replicasPerMaster !== 1) {
    throw new Error(`startRedisCluster supports replicasPerMaster 0 or 1 (got ${replicasPerMaster}).`);
  }
  const folder = await makeFleetFolder('cluster');
  const fleet = new RedisClusterFleet(folder, masters * (1 + replicasPerMaster), replicasPerMaster, nodeTimeoutMs);
  try {
    await fleet.create();
    return fleet;
  } catch (error) {
    await fleet.stop().catch(() => undefined);
    throw error;
  }
}

class RedisClusterFleet implements RedisClusterHandle {
  private servers: RedisServerProcess[] = [];
  private roles: ('master' | 'replica')[] = [];
  private stopped = false;

  constructor(
    readonly folder: string,
    private readonly size: number,
    private readonly replicasPerMaster: number,
    private readonly nodeTimeoutMs: number,
  ) {}

  get nodes(): RedisClusterNode[] {
    return this.servers.map((server, index) => ({
      index,
      host: '127.0.0.1',
      port: server.port,
      role: this.roles[index] ?? 'master',
      running: server.isRunning,
    }));
  }

  get startupNodes(): RedisAddress[] {
    return this.servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  }

  pids(): number[] {
    return this.servers.flatMap((server) => (server.pid === undefined ? [] : [server.pid]));
  }

  async create(): Promise<void> {
    // Two ports per node: clients, and the cluster bus (port + 10000 may be taken or above 65535).
    const ports = await distinctFreePorts(this.size * 2);
    this.servers = Array.from({ length: this.size }, (_, i) => this.serverFor(ports[i], ports[this.size + i]));
    await Promise.all(this.servers.map((server) => server.start()));
    const addresses = this.servers.map((server) => `127.0.0.1:${server.port}`);
    const replicas = this.replicasPerMaster > 0 ? ['--cluster-replicas', String(this.replicasPerMaster)] : [];
    await redisCli(['--cluster', 'create', ...addresses, ...replicas, '--cluster-yes']);
    await this.waitUntilSettled('the new cluster to report cluster_state:ok on every node');
    await this.refreshRoles();
    await this.waitForReplicaLinks();
  }

  async masterIndexForKey(key: string): Promise<number> {
    const slot = Number(await askRedis(this.anyRunning().port, 'CLUSTER', 'KEYSLOT', key));
    const slots = (await askRedis(this.anyRunning().port, 'CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    const index = range ? this.servers.findIndex((server) => server.port === Number(range[2][1])) : -1;
    if (index < 0) throw new Error(`No master serves slot ${slot} (key "${key}"); is the cluster ok?`);
    return index;
  }

  async waitForReplication(): Promise<void> {
    // Asked from the replica's side: a master lists a replica only once it is online,
    // so an empty list there would pass for "caught up".
    await waitFor(
      async () => {
        for (const replica of this.servers.filter((s, i) => s.isRunning && this.roles[i] === 'replica')) {
          const own = parseInfo(String(await askRedis(replica.port, 'INFO', 'replication')));
          if (own.get('master_link_status') !== 'up') return false;
          const master = parseInfo(String(await askRedis(Number(own.get('master_port')), 'INFO', 'replication')));
          if (own.get('slave_repl_offset') !== master.get('master_repl_offset')) return false;
        }
        return true;
      },
      { timeoutMs: 10_000, what: 'every replica to catch up with its master' },
    );
  }

  async killMaster(index: number): Promise<{ killed: RedisClusterNode; promoted: RedisClusterNode }> {
    const server = this.servers[index];
    if (!server) throw new Error(`killMaster(${index}): no such node; indexes run from 0 to ${this.size - 1}.`);
    if (this.replicasPerMaster === 0) {
      throw new Error('killMaster needs a replica to promote: start the cluster with replicasPerMaster: 1.');
    }
    if (!server.isRunning || this.roles[index] !== 'master') {
      throw new Error(`killMaster(${index}): node ${index} (port ${server.port}) is not a running master; pick one from handle.nodes.`);
    }
    const topology = await this.topology();
    const killedId = topology.find((line) => line.port === server.port)?.id;
    const replicaPorts = topology.filter((line) => line.masterId === killedId && !line.failing).map((line) => line.port);
    if (replicaPorts.length === 0) throw new Error(`killMaster(${index}): port ${server.port} has no healthy replica to promote.`);

    await server.kill();
    const promotedPort = await waitFor(
      async () => {
        for (const port of replicaPorts) {
          const role = (await askRedis(port, 'ROLE')) as [string];
          if (role[0] === 'master') return port;
        }
        return undefined;
      },
      { timeoutMs: FAILOVER_TIMEOUT_MS, what: `a replica of port ${server.port} to be promoted` },
    );
    await this.waitUntilSettled(`the cluster to be ok again after killing port ${server.port}`, FAILOVER_TIMEOUT_MS);
    await this.refreshRoles();
    const nodes = this.nodes;
    return { killed: nodes[index], promoted: nodes.find((node) => node.port === promotedPort) as RedisClusterNode };
  }

  async restartNode(index: number): Promise<RedisClusterNode> {
    const server = this.servers[index];
    if (!server) throw new Error(`restartNode(${index}): no such node; indexes run from 0 to ${this.size - 1}.`);
    await server.kill();
    await server.start();
    await this.waitUntilSettled(`port ${server.port} to rejoin the cluster`, FAILOVER_TIMEOUT_MS);
    await this.refreshRoles();
    await this.waitForReplicaLinks();
    return this.nodes[index];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pids = this.servers.flatMap((server) => (server.pid === undefined ? [] : [server.pid]));
    await Promise.all(this.servers.map((server) => server.kill()));
    await removeFleetFolder(this.folder);
    const alive = pids.filter((pid) => !processIsGone(pid));
    if (alive.length > 0) throw new Error(`Redis cluster nodes still running after stop(): pids ${alive.join(', ')}.`);
  }

  private serverFor(port: number, busPort: number): RedisServerProcess {
    return new RedisServerProcess({
      port,
      folder: this.folder,
      label: `cluster-node-${port}`,
      args: [
        '--cluster-enabled', 'yes',
        '--cluster-config-file', join(this.folder, `nodes-${port}.conf`),
        '--cluster-port', String(busPort),
        '--cluster-node-timeout', String(this.nodeTimeoutMs),
        // A replica that lost its master a while ago still takes over: a harness wants failover, not safety.
        '--cluster-replica-validity-factor', '0',
        '--save', '',
        '--appendonly', 'no',
      ],
    });
  }

  private anyRunning(): RedisServerProcess {
    const server = this.servers.find((s) => s.isRunning);
    if (!server) throw new Error('Every node of the Redis cluster is down; restart one with restartNode(index).');
    return server;
  }

  private topology(): Promise<ClusterNodeLine[]> {
    return askRedis(this.anyRunning().port, 'CLUSTER', 'NODES').then((text) => parseClusterNodes(String(text)));
  }

  private async refreshRoles(): Promise<void> {
    const topology = await this.topology();
    this.roles = this.servers.map((server) => topology.find((line) => line.port === server.port)?.role ?? 'master');
  }

  /**
   * Every running node says `cluster_state:ok`, knows every node, sees no
   * running node as failed, and agrees with the others on who serves how many
   * slots, so clients asking any node get the same map.
   */
  private async waitUntilSettled(what: string, timeoutMs = 10_000): Promise<void> {
    await waitFor(
      async () => {
        const running = this.servers.filter((server) => server.isRunning);
        const runningPorts = new Set(running.map((server) => server.port));
        const views = new Set<string>();
        for (const server of running) {
          const info = parseInfo(String(await askRedis(server.port, 'CLUSTER', 'INFO')));
          if (info.get('cluster_state') !== 'ok' || Number(info.get('cluster_known_nodes')) !== this.size) return false;
          const view = parseClusterNodes(String(await askRedis(server.port, 'CLUSTER', 'NODES'))).filter((line) => runningPorts.has(line.port));
          if (view.some((line) => line.failing)) return false;
          views.add(signature(view));
        }
        // A restarted master still claims its old slots until the cluster bus tells it otherwise.
        return views.size === 1;
      },
      { timeoutMs, intervalMs: 100, what },
    );
  }

  private async waitForReplicaLinks(): Promise<void> {
    await waitFor(
      async () => {
        for (const server of this.servers.filter((s, i) => s.isRunning && this.roles[i] === 'replica')) {
          const info = parseInfo(String(await askRedis(server.port, 'INFO', 'replication')));
          if (info.get('master_link_status') !== 'up') return false;
        }
        return true;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'every replica to be linked to its master' },
    );
  }
}

/** Roles and slot counts of the running nodes, as one node sees them, in a comparable form. */
function signature(view: ClusterNodeLine[]): string {
  return view
    .map((line) => `${line.port}:${line.role}:${line.slotCount}`)
    .sort()
    .join(' ');
}
