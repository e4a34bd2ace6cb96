import { testEnv, waitFor } from '@db-optimizer/cluster';
import { RedisLink } from '../../src/lib/result-cache/coherence/redis-link';
import { createRedisConnection } from '../../src/lib/result-cache/redis-connection';
import type { RedisConnection } from '../../src/lib/result-cache/redis-connection';

/**
 * A bring-up subscribes and then reads the counters. When a connection is lost while it runs
 * (the subscription with it), the messages sent meanwhile are gone and the counters it read
 * may predate them: that bring-up must not put the link up. Seen on a real run: the reader
 * came back with counters read before two writes, lost its new subscription during the
 * bring-up, went up anyway and served the old rows until the next outage.
 */
describe('a Redis connection lost while the link is being brought up', () => {
  let connection: RedisConnection;
  let link: RedisLink;
  const bringUps: number[] = [];
  let lossesSoFar = 0;
  let gate: Promise<void> | undefined;

  beforeAll(async () => {
    connection = await createRedisConnection(testEnv().redisUrl, 200, () => undefined);
    link = new RedisLink(
      connection,
      { commandTimeoutMs: 200, healthCheckIntervalMs: 50, connectTimeoutMs: 2000 },
      {
        onUp: async () => {
          bringUps.push(lossesSoFar);
          await gate;
        },
        afterUp: async () => undefined,
        onDown: () => undefined,
      },
    );
    await link.start();
  });

  afterAll(() => link.stop());

  it('keeps the link down until a bring-up that started after the loss has succeeded', async () => {
    expect(link.healthy).toBe(true);
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));

    // A first loss (as a closed connection reports it): the link goes down, and its next check starts a bring-up.
    lossesSoFar++;
    link.connectionLost('connection closed');
    await waitFor(() => bringUps.length === 2, { what: 'the bring-up after the first loss' });
    // Lost again while that bring-up waits (subscribed, counters read: both may predate this loss).
    lossesSoFar++;
    link.connectionLost('connection closed');
    open();
    gate = undefined;

    await waitFor(() => link.healthy, { what: 'the link up again' });
    // The bring-up that put it up started after the second loss.
    expect(bringUps[bringUps.length - 1]).toBe(2);
  });

  it('lets a bring-up stand when what fails meanwhile is not a connection (a late echo, a late store)', async () => {
    const before = bringUps.length;
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    link.connectionLost('connection closed');
    await waitFor(() => bringUps.length === before + 1, { what: 'the bring-up after the loss' });
    link.markDown('an echo was not heard back on the change channel');
    open();
    gate = undefined;

    await waitFor(() => link.healthy, { what: 'the link up again' });
    expect(bringUps.length).toBe(before + 1);
  });
});
