import 'reflect-metadata';
import { LocalCluster } from '@db-optimizer/cluster';
import { numberFlag, parseFlags } from './cli-args';
import { chaosOptions, startInstance } from './instances';
import { MemorySample, judgeGrowth, sampleMemory, sparkline } from './memory-sampler';
import { endProgress, progressPrinter } from './progress-line';
import { RedisControl } from './redis-control';
import { standbysCaughtUp } from './replication-wait';
import { SOAK_ROWS, SOAK_TABLE, soakLoad } from './soak-load';
import { writeResult } from './write-result';

const SAMPLE_EVERY_MS = 10_000;
const WARMUP_SHARE = 0.2;
const GROWTH_LIMIT_PCT = 10;

/**
 * `npm run soak -- --minutes N [--rate OPS_PER_S]`: steady load through one
 * module instance, memory sampled every 10 s, exit 1 when heap or RSS grows
 * more than 10% after the warm-up (the first 20% of the run).
 */
async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), ['minutes', 'rate', 'callers']);
  const minutes = numberFlag(flags, 'minutes', 3, 0.5, 24 * 60);
  const rate = numberFlag(flags, 'rate', 400, 1, 100_000);
  const callers = numberFlag(flags, 'callers', 8, 1, 256);
  if (!(globalThis as { gc?: unknown }).gc) console.warn('[soak] run with node --expose-gc (npm run soak does): heap figures include uncollected garbage.');
  const durationMs = minutes * 60_000;
  console.log(`[soak] ${minutes} min at ${rate} ops/s, ${callers} callers; starting PostgreSQL + Redis...`);
  const cluster = await LocalCluster.start({ settings: { wal_retrieve_retry_interval: '500ms' } });
  const redis = await RedisControl.start();
  try {
    await cluster.primary.query(`CREATE TABLE ${SOAK_TABLE} (id int PRIMARY KEY, counter bigint NOT NULL DEFAULT 0)`);
    await cluster.primary.query(`INSERT INTO ${SOAK_TABLE} (id) SELECT generate_series(1, $1::int)`, [SOAK_ROWS]);
    await standbysCaughtUp(cluster.primary, [cluster.readReplica, cluster.analyticsReplica]);
    const instance = await startInstance(0, {
      ...chaosOptions({ primaryUrl: cluster.primary.url, readReplicaUrls: [cluster.readReplica.url, cluster.analyticsReplica.url], redisUrl: redis.url }),
      applicationName: 'soak',
    });
    const startedAt = Date.now();
    const samples: MemorySample[] = [sampleMemory(startedAt, 0)];
    const progress = progressPrinter('[soak]');
    let counters = { operations: 0, errors: {} as Record<string, number> };
    const load = soakLoad(instance, startedAt + durationMs, rate, callers, 1).then((done) => (counters = done));
    const liveOps = (): number => Math.round(((Date.now() - startedAt) * rate) / 1000);
    const sampler = setInterval(() => samples.push(sampleMemory(startedAt, liveOps())), SAMPLE_EVERY_MS);
    const ticker = setInterval(() => {
      const last = samples[samples.length - 1];
      progress(`${Math.round((Date.now() - startedAt) / 1000)}/${durationMs / 1000} s | ~${liveOps()} ops | heap ${last.heapUsedMb} MB | rss ${last.rssMb} MB`);
    }, 1000);
    try {
      await load;
    } finally {
      clearInterval(sampler);
      clearInterval(ticker);
      endProgress();
    }
    samples.push(sampleMemory(startedAt, counters.operations));
    await instance.close();
    const verdict = judgeGrowth(samples, durationMs * WARMUP_SHARE, GROWTH_LIMIT_PCT);
    printCurve(samples, durationMs * WARMUP_SHARE);
    const errors = Object.values(counters.errors).reduce((sum, count) => sum + count, 0);
    console.log(
      `\noperations ${counters.operations} (${Math.round(counters.operations / (durationMs / 1000))}/s), errors ${errors} ${JSON.stringify(counters.errors)}\n` +
        `after warm-up: heap ${signed(verdict.heapGrowthPct)}%, rss ${signed(verdict.rssGrowthPct)}% (limit +${GROWTH_LIMIT_PCT}%): ${verdict.passed ? 'PASSED' : 'FAILED'}`,
    );
    const path = writeResult('soak-latest.json', {
      finishedAt: new Date().toISOString(),
      minutes,
      rate,
      callers,
      operations: counters.operations,
      errors: counters.errors,
      warmupMs: durationMs * WARMUP_SHARE,
      limitPct: GROWTH_LIMIT_PCT,
      verdict,
      samples,
    });
    console.log(`JSON: ${path}`);
    process.exitCode = verdict.passed ? 0 : 1;
  } finally {
    await redis.stop();
    await cluster.stop();
  }
}

function printCurve(samples: readonly MemorySample[], warmupMs: number): void {
  console.log('\n    t (s)   heap MB    rss MB   ops');
  for (const sample of samples) {
    const mark = sample.atMs < warmupMs ? ' (warm-up)' : '';
    console.log(`  ${String(Math.round(sample.atMs / 1000)).padStart(7)}  ${sample.heapUsedMb.toFixed(1).padStart(8)}  ${sample.rssMb.toFixed(1).padStart(8)}   ${sample.operations}${mark}`);
  }
  console.log(`  heap ${sparkline(samples.map((sample) => sample.heapUsedMb))}`);
  console.log(`  rss  ${sparkline(samples.map((sample) => sample.rssMb))}`);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

main().catch((error: unknown) => {
  endProgress();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
