import type { RedisTarget } from '../../options/redis-target';
import { createRedisClient, reconnectWhenEndedUnasked, RedisClient } from '../../result-cache/redis-client';
import { withTimeout } from '../../core/with-timeout';

/**
 * Stores a snapshot under this instance's field and stamps it with its expiry, on Redis'
 * clock (instances' clocks need not agree). The hash itself expires with the last snapshot:
 * its TTL only ever grows, or an instance with a short interval would expire the others.
 * KEYS[1] the fleet hash. ARGV[1] instance id, ARGV[2] TTL in ms, ARGV[3] snapshot.
 */
const PUBLISH_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f', now + tonumber(ARGV[2])) .. '|' .. ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/**
 * Returns the snapshots that have not expired and deletes the others: an instance that
 * stopped publishing drops out after its TTL. KEYS[1] the fleet hash.
 */
const READ_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local value = all[i + 1]
  local bar = string.find(value, '|', 1, true)
  local expiresAt = bar and tonumber(string.sub(value, 1, bar - 1))
  if expiresAt and expiresAt > now then
    table.insert(live, string.sub(value, bar + 1))
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return live
`;

type FleetClient = RedisClient & {
  dboFleetPublish(key: string, instanceId: string, ttlMs: string, snapshot: string): Promise<number>;
  dboFleetRead(key: string): Promise<string[]>;
};

/**
 * The fleet's snapshots in one Redis hash, one field per instance. One key, so on a
 * cluster both scripts run on the one shard that holds it. Uses its own client: fleet
 * metrics work with the result cache off, and never queue behind cache traffic.
 */
export class RedisFleetStore {
  private readonly client: FleetClient;
  private closed = false;

  constructor(
    target: RedisTarget,
    /** The hash, e.g. `{dbo:fleet:<namespace>}`: the braces keep it whole on a cluster. */
    private readonly key: string,
    private readonly timeoutMs: number,
    onError: (error: Error) => void,
  ) {
    const client = createRedisClient(target, timeoutMs, onError);
    client.defineCommand('dboFleetPublish', { numberOfKeys: 1, lua: PUBLISH_SCRIPT });
    client.defineCommand('dboFleetRead', { numberOfKeys: 1, lua: READ_SCRIPT });
    reconnectWhenEndedUnasked(client, () => !this.closed);
    this.client = client as FleetClient;
  }

  async connect(): Promise<void> {
    await withTimeout(this.client.connect(), this.timeoutMs * 5, 'Redis connect');
  }

  async publish(instanceId: string, snapshot: string, ttlMs: number): Promise<void> {
    await withTimeout(this.client.dboFleetPublish(this.key, instanceId, String(Math.ceil(ttlMs)), snapshot), this.timeoutMs, 'Redis fleet publish');
  }

  readAll(): Promise<string[]> {
    return withTimeout(this.client.dboFleetRead(this.key), this.timeoutMs, 'Redis fleet read');
  }

  /** Removes this instance's snapshot: an instance that stops cleanly leaves the fleet at once. */
  async remove(instanceId: string): Promise<void> {
    await withTimeout(this.client.hdel(this.key, instanceId), this.timeoutMs, 'Redis HDEL');
  }

  close(): void {
    this.closed = true;
    this.client.disconnect();
  }
}
