import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis-client';
import { formatLsn, parseLsn } from '../../core/lsn';
import { encodeChangeBody } from './change-message';
import { EPOCH_FIELD, fieldsOf, VersionChange } from './version-change';
import type { Stamp } from './version-stamp';
import { BUMP_VERSIONS_SCRIPT, SERVER_ID_SCRIPT } from './version-script';

/** Redis names of one namespace. */
export interface VersionKeys {
  clock: string;
  versions: string;
  channel: string;
  /** A random id set once: when it changes, Redis lost its data (and the counters with it). */
  incarnation: string;
}

/** Counters as Redis holds them (rows are never stored: their table's `wide` bounds them). */
export interface SyncedVersions {
  epoch?: Stamp;
  all: Map<string, Stamp>;
  wide: Map<string, Stamp>;
}

type BumpClient = RedisClient & {
  dboBumpVersions(clock: string, versions: string, ...args: string[]): Promise<string>;
  dboServerId(versions: string): Promise<string | null>;
};

/**
 * Names of a namespace's keys and channel. Pub/sub ignores Redis database numbers, so the
 * channel names the database: instances on another database number have other counters
 * and another clock, and must not mix stamps with these.
 *
 * All of them carry the hash tag `{prefix}`, so on a Redis Cluster they live in one slot:
 * the version script touches the clock and the hash and publishes on the channel in one
 * call, which a cluster allows only within one slot (sharded channels count as keys).
 */
export function versionKeys(prefix: string, redisDatabase: number): VersionKeys {
  const tag = `{${prefix}}`;
  return {
    clock: `${tag}:clock`,
    versions: `${tag}:versions`,
    channel: `${tag}:changes:${redisDatabase}`,
    incarnation: `${tag}:incarnation`,
  };
}

/**
 * The version counters in Redis: bump-and-publish in one script, and a read of them all
 * for an instance that starts. The hash holds two fields per table and the epoch, so
 * reading it whole stays small.
 */
export class RedisVersions {
  private readonly client: BumpClient;

  constructor(
    client: RedisClient,
    private readonly keys: VersionKeys,
    private readonly origin: string,
    private readonly publishCommand: 'PUBLISH' | 'SPUBLISH' = 'PUBLISH',
  ) {
    client.defineCommand('dboBumpVersions', { numberOfKeys: 2, lua: BUMP_VERSIONS_SCRIPT });
    client.defineCommand('dboServerId', { numberOfKeys: 1, lua: SERVER_ID_SCRIPT });
    this.client = client as BumpClient;
  }

  /** Bumps and publishes; resolves with the stamp Redis gave the change and the latest WAL position its fields hold. */
  async bump(change: Omit<VersionChange, 'stamp'>, minStamp: number, sentAt: number): Promise<Stamp> {
    const body = encodeChangeBody(change, this.origin, sentAt);
    const lsn = change.lsn === undefined ? '' : formatLsn(change.lsn);
    const stamp = await this.client.dboBumpVersions(
      this.keys.clock,
      this.keys.versions,
      String(minStamp),
      this.keys.channel,
      lsn,
      body,
      this.publishCommand,
      change.unpositionedMark === undefined ? '' : '1',
      ...fieldsOf(change),
    );
    const bumped = parseStamp(stamp);
    if (!bumped) throw new Error(`Redis answered the version bump with "${stamp}", not "stamp@position"`);
    return bumped;
  }

  /** This Redis' incarnation id, created by the first instance that asks. */
  async incarnation(): Promise<string> {
    const mine = randomUUID();
    return (await this.client.set(this.keys.incarnation, mine, 'NX', 'GET')) ?? mine;
  }

  /**
   * The run id of the server holding the counters (on a cluster, the master of their slot).
   * A new one means a failover or a restart: writes the old server acknowledged may be gone
   * and messages may have been missed, so the cache cannot trust what it holds.
   */
  async serverId(): Promise<string> {
    return (await this.client.dboServerId(this.keys.versions)) ?? '';
  }

  /**
   * Every counter Redis holds. A counter some write without a known position ever bumped
   * (`u:<field>`) comes marked with `unpositionedMark()` (one number for the whole read): the
   * reader cannot tell whether the replicas have replayed that write yet.
   */
  async readAll(unpositionedMark: () => number | undefined): Promise<SyncedVersions> {
    const fields = await this.client.hgetall(this.keys.versions);
    const synced: SyncedVersions = { all: new Map(), wide: new Map() };
    let mark: number | undefined;
    for (const [field, value] of Object.entries(fields)) {
      const parsed = parseStamp(value);
      if (!parsed) continue;
      const unknown = fields[`${UNPOSITIONED_PREFIX}${field}`] !== undefined;
      if (unknown) mark ??= unpositionedMark();
      const stamp = unknown && mark !== undefined ? { ...parsed, unpositionedMark: mark } : parsed;
      if (field === EPOCH_FIELD) synced.epoch = stamp;
      else if (field.startsWith('a:')) synced.all.set(field.slice(2), stamp);
      else if (field.startsWith('w:')) synced.wide.set(field.slice(2), stamp);
    }
    return synced;
  }
}

/** Prefix of the field that says a counter was bumped by a write whose position is unknown (`BUMP_VERSIONS_SCRIPT`). */
const UNPOSITIONED_PREFIX = 'u:';

function parseStamp(value: string): Stamp | undefined {
  const at = value.indexOf('@');
  const stamp = Number(at < 0 ? value : value.slice(0, at));
  if (!Number.isSafeInteger(stamp)) return undefined;
  const lsn = at < 0 || at === value.length - 1 ? undefined : parseLsn(value.slice(at + 1));
  return { value: stamp, lsn };
}
