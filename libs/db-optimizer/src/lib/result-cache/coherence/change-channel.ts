import type { Cluster } from 'ioredis';
import type { RedisClient } from '../redis-client';

/**
 * The change channel of a namespace over the right kind of pub/sub: sharded
 * (`SSUBSCRIBE`/`SPUBLISH`) on a Redis Cluster, where the channel lives on the shard that
 * holds the version keys (same hash tag) and a message never crosses the cluster bus;
 * plain `SUBSCRIBE`/`PUBLISH` on a single server or a Sentinel-managed master.
 */
export class ChangeChannel {
  /** The command the version script publishes with. */
  readonly publishCommand: 'PUBLISH' | 'SPUBLISH';

  constructor(
    private readonly subscriber: RedisClient,
    readonly name: string,
    private readonly sharded: boolean,
  ) {
    this.publishCommand = sharded ? 'SPUBLISH' : 'PUBLISH';
  }

  /** Calls `handler` with each message of this channel. */
  onMessage(handler: (text: string) => void): void {
    this.subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, text: string) => {
      if (channel === this.name) handler(text);
    });
  }

  /** Subscribes (again: after a reconnect or failover this is the proof the subscription is live). */
  subscribe(): Promise<unknown> {
    return this.sharded ? (this.subscriber as Cluster).ssubscribe(this.name) : this.subscriber.subscribe(this.name);
  }
}
