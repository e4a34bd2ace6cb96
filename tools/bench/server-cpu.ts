import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The servers whose processes' CPU the bench counts, by the key it is summed under. */
type ServerKey = 'postgresUs' | 'redisUs';

/**
 * CPU time spent so far, in µs: by this process, by each database and Redis server
 * process (by pid), and by the whole machine. The bench's client and servers share the
 * machine's cores, so a client that spends less CPU per operation leaves more to the
 * servers: the difference of two snapshots says which side an operation's CPU went to,
 * and how much of it no client could save.
 */
export interface CpuSnapshot {
  clientUs: number;
  /** `replication`: a PostgreSQL process that streams or replays WAL (see `isReplicationProcess`). */
  servers: Map<string, { server: ServerKey; us: number; replication: boolean }>;
  machineBusyUs: number;
  machineTotalUs: number;
}

/** What each side spent over one or more measured windows (µs). */
export interface CpuSpent {
  clientUs: number;
  postgresUs: number;
  /** The part of `postgresUs` spent streaming and replaying WAL to the standbys. */
  replicationUs: number;
  redisUs: number;
  machineBusyUs: number;
  machineTotalUs: number;
}

/** CPU per operation over a measured window (µs), and the share of the machine left idle. */
export interface CpuPerOperation {
  clientUs: number;
  postgresUs: number;
  /**
   * The part of `postgresUs` spent by walsenders, walreceivers and the standbys' startup
   * (replay) processes: what the writes cost the cluster beyond their own backend, whichever
   * client sent them.
   */
  replicationUs: number;
  redisUs: number;
  machineIdlePct: number;
}

/** Process names (`/proc/<pid>/comm`) whose CPU counts as the servers'. */
const SERVER_NAMES: Record<ServerKey, string> = { postgresUs: 'postgres', redisUs: 'redis-server' };

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on every common Linux). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Undefined where there is no `/proc/stat` (not Linux): the bench then reports no CPU split. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const usPerTick = 1e6 / clockTicks();
  const machine = machineTicks(stat);
  const servers: CpuSnapshot['servers'] = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const ticks = serverTicksOf(pid);
    if (ticks) servers.set(pid, { server: ticks.server, us: ticks.ticks * usPerTick, replication: ticks.replication });
  }
  const own = process.cpuUsage();
  return { clientUs: own.user + own.system, servers, machineBusyUs: machine.busy * usPerTick, machineTotalUs: machine.total * usPerTick };
}

/** A server process' user + system ticks; undefined for other processes and ones that ended meanwhile. */
function serverTicksOf(pid: string): { server: ServerKey; ticks: number; replication: boolean } | undefined {
  try {
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const server = (Object.keys(SERVER_NAMES) as ServerKey[]).find((key) => SERVER_NAMES[key] === name);
    if (!server) return undefined;
    const replication = server === 'postgresUs' && isReplicationProcess(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    return { server, ticks: processTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')), replication };
  } catch {
    return undefined;
  }
}

/**
 * Whether a PostgreSQL process title (`/proc/<pid>/cmdline`) is a walsender, a walreceiver or
 * a standby's startup process, the ones that move and replay WAL. PostgreSQL titles its
 * processes `postgres: [cluster_name: ]<type> ...`; a client backend's title starts with its
 * user name instead, so a backend of a user named `walsender`, `walreceiver` or `startup`
 * would be misread (the bench connects as `postgres`).
 */
export function isReplicationProcess(title: string): boolean {
  return /^postgres: (?:[^:\s]+: )?(?:walsender|walreceiver|startup)\b/.test(title);
}

/**
 * User + system ticks from a `/proc/<pid>/stat` line. The name (second field) is in
 * parentheses and may hold spaces or ')', so fields are counted after its last ')'.
 */
export function processTicks(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3 of the line, utime 14 and stime 15.
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Busy and total ticks from `/proc/stat`'s first line (user nice system idle iowait irq
 * softirq steal; guest time is already inside user). Idle and iowait are not busy.
 */
export function machineTicks(procStat: string): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = procStat.split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + (steal || 0);
  return { busy, total: busy + idle + iowait };
}

/**
 * Adds what each side spent between `before` and `after` to `spent` (the sum over measured
 * windows). A server process counts by pid: one that started in the window counts whole, one
 * that ended in it is lost (its CPU went with it), so servers coming and going never make the
 * sum go back.
 */
export function addWindow(spent: CpuSpent | undefined, before: CpuSnapshot, after: CpuSnapshot): CpuSpent {
  const servers = { postgresUs: 0, redisUs: 0 };
  let replicationUs = 0;
  for (const [pid, { server, us, replication }] of after.servers) {
    const earlier = before.servers.get(pid);
    const added = Math.max(0, us - (earlier?.server === server ? earlier.us : 0));
    servers[server] += added;
    if (replication) replicationUs += added;
  }
  return {
    clientUs: (spent?.clientUs ?? 0) + after.clientUs - before.clientUs,
    postgresUs: (spent?.postgresUs ?? 0) + servers.postgresUs,
    replicationUs: (spent?.replicationUs ?? 0) + replicationUs,
    redisUs: (spent?.redisUs ?? 0) + servers.redisUs,
    machineBusyUs: (spent?.machineBusyUs ?? 0) + after.machineBusyUs - before.machineBusyUs,
    machineTotalUs: (spent?.machineTotalUs ?? 0) + after.machineTotalUs - before.machineTotalUs,
  };
}

/** What each side spent per operation, and the share of the machine left idle, over the windows summed in `spent`. */
export function cpuPerOperation(spent: CpuSpent, operations: number): CpuPerOperation {
  const per = (key: keyof CpuSpent): number => spent[key] / Math.max(1, operations);
  const idle = spent.machineTotalUs - spent.machineBusyUs;
  return {
    clientUs: per('clientUs'),
    postgresUs: per('postgresUs'),
    replicationUs: per('replicationUs'),
    redisUs: per('redisUs'),
    machineIdlePct: spent.machineTotalUs > 0 ? (100 * idle) / spent.machineTotalUs : 0,
  };
}

/**
 * The most operations per second `cores` could serve if the client cost nothing: the
 * servers' CPU per operation alone filling every core. Divided by a baseline's measured
 * throughput, it bounds the ratio any client of the same servers could reach on this machine.
 */
export function serverBoundThroughput(cpu: CpuPerOperation, cores: number): number {
  const serverUs = cpu.postgresUs + cpu.redisUs;
  return serverUs > 0 ? (cores * 1e6) / serverUs : Number.POSITIVE_INFINITY;
}
