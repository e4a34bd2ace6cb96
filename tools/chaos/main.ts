import 'reflect-metadata';
import { DEFAULT_MULTIPLEX_READS } from '@db-optimizer/core';
import { integerFlag, parseFlags } from './cli-args';
import { faultsFrom } from './faults';
import { formatChaosReport } from './format-report';
import { endProgress, progressPrinter } from './progress-line';
import { runChaos } from './run-chaos';
import { writeResult } from './write-result';

/**
 * `npm run chaos -- [--operations N] [--seed S] [--faults K | --faults a,b,c] [--callers C] [--multiplex-reads N]`:
 * the workload under injected faults, the table of checks, and
 * bench/results/chaos-latest.json. Exits 1 when a must-be-zero check fails.
 */
async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), ['operations', 'seed', 'faults', 'callers', 'multiplex-reads']);
  const operations = integerFlag(flags, 'operations', 20_000, 1, 10_000_000);
  const seed = integerFlag(flags, 'seed', 1, 0, 2 ** 31 - 1);
  const callers = integerFlag(flags, 'callers', 4, 1, 64);
  const multiplexReads = integerFlag(flags, 'multiplex-reads', DEFAULT_MULTIPLEX_READS, 0, 1000);
  const faults = faultsFrom(flags.get('faults'));
  const report = await runChaos({
    operations,
    seed,
    faults,
    callers,
    multiplexReads,
    log: (line) => console.log(`[chaos] ${line}`),
    onProgress: progressPrinter('[chaos]'),
  });
  endProgress();
  console.log(formatChaosReport(report));
  console.log(`\nJSON: ${writeResult('chaos-latest.json', { ...report, finishedAt: new Date().toISOString() })}`);
  process.exitCode = report.passed ? 0 : 1;
}

main().catch((error: unknown) => {
  endProgress();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
