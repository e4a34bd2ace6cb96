import { performance } from 'node:perf_hooks';
import type { LoadOptions } from './load-options';
import { LoadStats } from './load-stats';
import { PlannedRequest, RequestMix } from './request-mix';

// Longest wait for one request, and for the stragglers once the time is up: the run always ends.
const REQUEST_TIMEOUT_MS = 10_000;
const TICK_MS = 10;

/** The newest lead's id: the ids the mix reads from. Also checks that the demo answers at all. */
export async function newestLeadId(url: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${url}/leads?sort=newest&pageSize=1`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`The demo does not answer at ${url} (${(error as Error).message}): start it with \`npm start\` first, or pass --url.`);
  }
  if (!response.ok) throw new Error(`GET ${url}/leads answered ${response.status}: is this the leads demo?`);
  const body = (await response.json()) as { data: Array<{ id: string }> };
  const id = Number(body.data[0]?.id);
  if (!Number.isInteger(id) || id < 1) throw new Error(`The demo at ${url} has no leads yet: let it finish seeding.`);
  return id;
}

/**
 * Starts `rate` requests a second for `durationS` seconds (open loop, at most
 * `concurrency` in flight), then waits for those still out, each bounded by a timeout.
 */
export async function runLoad(options: LoadOptions, onSecond: (elapsedS: number, stats: LoadStats, inFlight: number) => void): Promise<LoadStats> {
  const mix = new RequestMix(options.seed, await newestLeadId(options.url), options.writeRatio);
  const stats = new LoadStats();
  const pending = new Set<Promise<void>>();
  const startedAt = performance.now();
  const endAt = startedAt + options.durationS * 1000;
  let issued = 0;
  let lastSecond = 0;
  while (performance.now() < endAt) {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * options.rate);
    for (; issued < due; issued++) {
      if (pending.size >= options.concurrency) {
        stats.skipped++;
        continue;
      }
      const call = send(options.url, mix.next(), stats).finally(() => pending.delete(call));
      pending.add(call);
    }
    const second = Math.floor((performance.now() - startedAt) / 1000);
    if (second > lastSecond) {
      lastSecond = second;
      onSecond(second, stats, pending.size);
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.allSettled([...pending]);
  return stats;
}

async function send(url: string, request: PlannedRequest, stats: LoadStats): Promise<void> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url + request.path, {
      method: request.method,
      headers: { 'x-session-key': request.sessionKey, ...(request.body !== undefined && { 'content-type': 'application/json' }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    stats.record(request.name, response.status, performance.now() - startedAt);
  } catch {
    stats.record(request.name, 'network-error', performance.now() - startedAt);
  }
}
