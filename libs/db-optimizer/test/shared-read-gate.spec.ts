import { testEnv } from '@db-optimizer/cluster';
import { ReadMultiplexer } from '../src/lib/execution/read-multiplexer';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { startDelayingProxy, type DelayingProxy } from './support/delaying-proxy';
import { startInstance, TestInstance } from './support/test-module';

describe('shared reads by default: only statements measured short share a connection', () => {
  const env = testEnv();
  let instance: TestInstance;

  /** An instance reading from `replicaUrl` through `connections`, with multiplexReads unset (the default). */
  const startReading = (replicaUrl: string, connections: number, sharedReadMaxMs: number): Promise<TestInstance> =>
    startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [replicaUrl],
      readReplicaPool: { min: connections, max: connections },
      sharedReadMaxMs,
      // Its EXPLAINs of slow first runs, and the lag monitor's checks, would use the replica's connections too.
      autoExplainSlowQueries: false,
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
    });

  beforeAll(async () => {
    // sharedReadMaxMs at 100 ms rather than 20, so that a stall of the machine during a lookup cannot make it
    // look long; the report takes far longer than either.
    instance = await startReading(env.readReplicaUrl, 4, 100);
  });

  afterAll(async () => {
    await instance?.close();
  });

  const stats = () => instance.get(ReadMultiplexer).stats();
  const lookup = (n: number) => instance.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n]);
  // generate_series is immutable, so this is a read on the replica; counting 3M rows takes far longer than 100 ms.
  const report = (n: number) => instance.db.executeOptimizedQuery<{ n: number; total: string }>('SELECT $1::int AS n, count(*) AS total FROM generate_series(1, 3000000) s', [n]);

  it('shares connections with multiplexReads unset, 8 reads to a connection', async () => {
    expect(instance.get(ReadMultiplexer).readsPerConnection).toBe(8);
    await lookup(0);
    const before = stats();

    const results = await Promise.all(Array.from({ length: 9 }, (_, n) => lookup(n)));

    expect(results.map(({ rows }) => rows[0].n)).toEqual(Array.from({ length: 9 }, (_, n) => n));
    // The first found nothing in flight and ran alone; the other eight went on one connection.
    expect(new Set(results.slice(1).map(({ rows }) => rows[0].pid)).size).toBe(1);
    expect(stats().sharedReads - before.sharedReads).toBe(8);
  });

  it("runs a lone caller's reads on a connection of their own while another connection of the pool is held", async () => {
    const replica = instance.get(PoolManagerService).readReplicas[0];
    await lookup(0);
    // A connection held elsewhere (a long report, a listener) is no read to share with.
    const held = await replica.acquire();
    try {
      const before = stats();
      for (let n = 0; n < 5; n++) await lookup(n);
      expect(stats()).toEqual(before);
    } finally {
      replica.release(held);
    }
  });

  it("never takes a report's time for the pool's round trip: a second report is judged whole, and kept apart", async () => {
    const replica = instance.get(PoolManagerService).readReplicas[0];
    // Its own multiplexer, with a fresh pool record: the reads below are the first it measures. They
    // take a time of their own (a timer), not the database's, so their times are exact.
    const multiplexer = new ReadMultiplexer(8);
    const taking = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));
    let release!: () => void;
    // A read the test holds runs alone, so the reads below are never the pool's only one.
    const lone = multiplexer.run(replica, () => new Promise<void>((resolve) => (release = resolve)));
    try {
      await multiplexer.run(replica, taking(300), 'report B'); // measured: 300 ms, first on the pool
      await multiplexer.run(replica, taking(250), 'report C'); // measured: 250 ms, less no round trip
      await multiplexer.run(replica, taking(1), 'report C');
    } finally {
      release();
      await lone;
    }

    // All three kept apart: report C was judged by its whole 250 ms, not by what it took beyond report B's 300.
    expect(multiplexer.stats()).toMatchObject({ keptApart: 3, sharedReads: 0 });
  });

  it("runs a statement's first reads on an instance on connections of their own, and shares it from then on", async () => {
    const read = (n: number) => instance.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int + 1 AS n, pg_backend_pid() AS pid', [n]);
    const before = stats();

    const first = await Promise.all(Array.from({ length: 4 }, (_, n) => read(n)));

    expect(new Set(first.map(({ rows }) => rows[0].pid)).size).toBe(4);
    expect({ keptApart: stats().keptApart - before.keptApart, sharedReads: stats().sharedReads - before.sharedReads }).toEqual({ keptApart: 4, sharedReads: 0 });

    const again = await Promise.all(Array.from({ length: 4 }, (_, n) => read(n)));

    expect(again.map(({ rows }) => rows[0].n)).toEqual([1, 2, 3, 4]);
    expect({ keptApart: stats().keptApart - before.keptApart, sharedReads: stats().sharedReads - before.sharedReads }).toEqual({ keptApart: 4, sharedReads: 3 });
  });

  it('keeps a statement measured long on a connection of its own: the lookups sent after it answer before it', async () => {
    await report(0);
    await lookup(0);
    const before = stats();
    const order: string[] = [];
    const done = (name: string) => () => void order.push(name);

    // Three lookups open a shared connection; the report comes next, then three more lookups. Sharing that
    // connection, the later lookups would wait behind the report.
    const early = [1, 2, 3].map((n) => lookup(n).then(done(`lookup ${n}`)));
    const long = report(1).then(done('report'));
    const late = [4, 5, 6].map((n) => lookup(n).then(done(`lookup ${n}`)));
    await Promise.all([...early, long, ...late]);

    expect(order[order.length - 1]).toBe('report');
    expect(stats().keptApart - before.keptApart).toBe(1);
  });

  describe('a replica far away', () => {
    let proxy: DelayingProxy;
    let distant: TestInstance;

    beforeAll(async () => {
      // 40 ms each way: every read takes a round trip of 80 ms, over sharedReadMaxMs (50 here, so that a stall
      // of the machine cannot make a lookup look long) and under MAX_ROUND_TRIP_MS (100).
      proxy = await startDelayingProxy(env.readReplicaUrl, 40);
      distant = await startReading(proxy.url, 2, 50);
    });

    afterAll(async () => {
      await distant?.close();
      await proxy?.close();
    });

    it("still shares its lookups: a read's round trip is not counted as its time", async () => {
      const read = (n: number) => distant.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n]);
      // The first run is taken whole (80 ms and more); the next ones less the pool's fastest round trip.
      for (let run = 0; run < 4; run++) await read(run);
      const multiplexer = distant.get(ReadMultiplexer);
      const before = multiplexer.stats();

      const results = await Promise.all(Array.from({ length: 9 }, (_, n) => read(n)));

      expect(results.map(({ rows }) => rows[0].n)).toEqual(Array.from({ length: 9 }, (_, n) => n));
      expect(results.every(({ metadata }) => metadata.poolUsed === 'read_replica')).toBe(true);
      expect(multiplexer.stats().sharedReads - before.sharedReads).toBe(8);
      expect(new Set(results.slice(1).map(({ rows }) => rows[0].pid)).size).toBe(1);
    });
  });
});
