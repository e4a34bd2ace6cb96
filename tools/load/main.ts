import { endProgress, progressPrinter } from '../chaos/progress-line';
import { LOAD_USAGE, parseLoadOptions } from './load-options';
import { runLoad } from './run-load';

/**
 * `npm run load`: HTTP load against the running demo, so its dashboard moves.
 * Bounded by --duration (at most 10 minutes) and loopback URLs only.
 */
async function main(): Promise<void> {
  const options = parseLoadOptions(process.argv.slice(2));
  console.log(
    `Load: ${options.rate} req/s for ${options.durationS} s against ${options.url} ` +
      `(${Math.round(options.writeRatio * 100)}% writes, at most ${options.concurrency} in flight). Watch ${options.url}/dashboard`,
  );
  const print = progressPrinter('[load]');
  const stats = await runLoad(options, (elapsed, current, inFlight) => {
    const recent = current.takeRecent();
    print(
      `${elapsed}/${options.durationS} s · ${current.completed} done · ${recent.count}/s · p50 ${recent.p50.toFixed(1)} ms · ` +
        `p99 ${recent.p99.toFixed(1)} ms · ${current.errors} errors · ${current.skipped} skipped · ${inFlight} in flight`,
    );
  });
  endProgress();
  const overall = stats.overall();
  console.log(
    `Done: ${stats.completed} requests, ${(stats.completed / options.durationS).toFixed(1)}/s, p50 ${overall.p50.toFixed(1)} ms, ` +
      `p90 ${overall.p90.toFixed(1)} ms, p99 ${overall.p99.toFixed(1)} ms, max ${overall.max.toFixed(1)} ms; ` +
      `${stats.errors} errors (5xx or network), ${stats.skipped} skipped (concurrency limit).`,
  );
  console.log(`Status codes: ${[...stats.byStatus].map(([status, count]) => `${status}×${count}`).join(', ')}`);
  for (const [name, entry] of [...stats.byName].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`  ${name.padEnd(28)} ${String(entry.count).padStart(7)}  mean ${(entry.totalMs / entry.count).toFixed(1)} ms${entry.errors ? `  ${entry.errors} errors` : ''}`);
  }
  if (stats.errors > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`npm run load: ${error.message}\nUsage: ${LOAD_USAGE}`);
  process.exit(2);
});
