import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { distinctFreePorts } from './free-port';
import { RunAs, handOver, resolveRunAs } from './os-user';
import { PgBinaries, resolvePgBinaries } from './pg-binaries';
import { binariesRunnableBy } from './staged-binaries';
import { PgNode, isAlive, serverEnv } from './pg-node';

const run = promisify(execFile);

/** The URLs of a running cluster, under the environment variable names the app reads. */
export interface ClusterUrls {
  DATABASE_PRIMARY_URL: string;
  DATABASE_READ_REPLICA_URL: string;
  DATABASE_ANALYTICS_URL: string;
}

export interface LocalClusterOptions {
  /** Extra postgresql.conf settings for every node (a standby must match the primary's limits). */
  settings?: Record<string, string | number>;
  /** Parent folder of the temporary cluster folder. @default os.tmpdir() */
  parentDir?: string;
}

/**
 * Defaults tuned for tests and demos, not for durability: fsync is off because
 * the cluster lives in a temporary folder and is thrown away.
 */
const BASE_SETTINGS: Record<string, string | number> = {
  listen_addresses: '127.0.0.1',
  max_connections: 300,
  wal_level: 'replica',
  max_wal_senders: 10,
  max_replication_slots: 10,
  wal_keep_size: '1GB',
  hot_standby: 'on',
  hot_standby_feedback: 'on',
  wal_receiver_status_interval: '1s',
  fsync: 'off',
  synchronous_commit: 'on',
  full_page_writes: 'off',
  shared_buffers: '64MB',
  log_min_messages: 'warning',
};

/**
 * A real PostgreSQL primary and two hot standbys with streaming replication,
 * in a temporary folder, on free ports. `stop()` leaves no process and no folder.
 */
export class LocalCluster {
  private stopped = false;

  private constructor(
    readonly baseDir: string,
    readonly primary: PgNode,
    readonly readReplica: PgNode,
    readonly analyticsReplica: PgNode,
  ) {}

  get nodes(): PgNode[] {
    return [this.primary, this.readReplica, this.analyticsReplica];
  }

  get urls(): ClusterUrls {
    return {
      DATABASE_PRIMARY_URL: this.primary.url,
      DATABASE_READ_REPLICA_URL: this.readReplica.url,
      DATABASE_ANALYTICS_URL: this.analyticsReplica.url,
    };
  }

  /** Starts a primary and two standbys; on any failure, cleans up what it started. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const runAs = resolveRunAs();
    const binaries = binariesRunnableBy(resolvePgBinaries(), runAs);
    const baseDir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'db-optimizer-cluster-'));
    chmodSync(baseDir, 0o700);
    handOver(baseDir, runAs);
    const settings = { ...BASE_SETTINGS, unix_socket_directories: baseDir, ...options.settings };
    const [primaryPort, readPort, analyticsPort] = await distinctFreePorts(3);
    const primary = new PgNode('primary', join(baseDir, 'primary'), primaryPort, binaries, runAs);
    const readReplica = new PgNode('read-replica', join(baseDir, 'read-replica'), readPort, binaries, runAs);
    const analytics = new PgNode('analytics-replica', join(baseDir, 'analytics-replica'), analyticsPort, binaries, runAs);
    const cluster = new LocalCluster(baseDir, primary, readReplica, analytics);
    try {
      await initPrimary(primary, binaries, runAs, settings);
      for (const standby of [readReplica, analytics]) cloneAsStandby(primary, standby, runAs);
      await primary.start();
      await Promise.all([readReplica.start(), analytics.start()]);
      return cluster;
    } catch (error) {
      await cluster.stop().catch(() => undefined);
      throw error;
    }
  }

  /** Stops every node and removes the folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pids = this.nodes.map((node) => node.processId).filter((pid): pid is number => pid !== undefined);
    const results = await Promise.allSettled(this.nodes.map((node) => node.stop()));
    rmSync(this.baseDir, { recursive: true, force: true });
    const survivors = pids.filter(isAlive);
    if (survivors.length > 0) throw new Error(`PostgreSQL processes ${survivors.join(', ')} outlived the cluster.`);
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

async function initPrimary(
  primary: PgNode,
  binaries: PgBinaries,
  runAs: RunAs | undefined,
  settings: Record<string, string | number>,
): Promise<void> {
  await run(
    binaries.initdb,
    ['-D', primary.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    { uid: runAs?.uid, gid: runAs?.gid, env: serverEnv() },
  );
  primary.configure({ ...settings, port: primary.port });
}

/**
 * A cold copy of the stopped primary's folder becomes a standby: same system
 * identifier, same settings (so its limits match), its own port, and
 * `standby.signal` with `primary_conninfo` so it streams from the primary.
 */
function cloneAsStandby(primary: PgNode, standby: PgNode, runAs: RunAs | undefined): void {
  cpSync(primary.dataDir, standby.dataDir, { recursive: true });
  chownTree(standby.dataDir, runAs);
  chmodSync(standby.dataDir, 0o700);
  standby.configure({
    port: standby.port,
    primary_conninfo: `host=127.0.0.1 port=${primary.port} user=postgres application_name=${standby.name}`,
  });
  standby.writeDataFile('standby.signal', '');
}

function chownTree(dir: string, runAs: RunAs | undefined): void {
  if (!runAs) return;
  // cpSync does not keep ownership; the copy must belong to the server account.
  execFileSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, dir]);
}
