// The worker side of `runCompare` (protocol/watch.ts): two stored runs fetched as the comparison
// charts need them (metrics, the stored checkpoint's indicator table, the watched spectra) and
// compared (src/core/compare/compareRuns.ts). A live run is read as of its last checkpoint.
import { compareRuns } from '../../core/compare/compareRuns.ts';
import { checkpointIndicators } from '../../core/train/checkpointIndicators.ts';
import { watchSeriesTransfers } from '../../core/isometry/watchSeries.ts';
import type { ComparedRun, RunComparedEvent, RunCompareCommand } from '../protocol/index.ts';
import type { RunKeeper } from './runKeeper.ts';
import { summarize } from './runRecord.ts';

async function fetchRun(keeper: RunKeeper, id: string): Promise<ComparedRun> {
  if (keeper.liveId === id) await keeper.flush();
  const record = await keeper.require(id);
  const ck = await keeper.store.checkpoint(id);
  const base = { run: summarize(record, keeper.liveId === id), metrics: record.metrics, watch: record.watch ?? null };
  if (ck === null) return { ...base, indicators: null, problem: `run "${record.name}" has no checkpoint yet: no indicator table to compare` };
  return { ...base, indicators: await checkpointIndicators(ck.bytes, `run "${record.name}"`) };
}

/** The answer to `runCompare` (without its transfer list: see comparedTransfers). */
export async function compareStoredRuns(keeper: RunKeeper, cmd: RunCompareCommand): Promise<RunComparedEvent> {
  const a = await fetchRun(keeper, cmd.runA);
  const b = await fetchRun(keeper, cmd.runB);
  const comparison = compareRuns(a, b, cmd.window === undefined ? {} : { window: cmd.window });
  return { type: 'runCompared', id: cmd.id, a, b, comparison };
}

/** The buffers of an answer that can be transferred instead of copied (each once). */
export function comparedTransfers(ev: RunComparedEvent): ArrayBuffer[] {
  const bufs: ArrayBufferLike[] = [];
  for (const r of [ev.a, ev.b]) {
    bufs.push(r.metrics.loss.buffer, r.metrics.acc.buffer, r.metrics.lr.buffer);
    if (r.indicators && ArrayBuffer.isView(r.indicators.scores)) bufs.push(r.indicators.scores.buffer);
    if (r.watch) bufs.push(...watchSeriesTransfers(r.watch));
  }
  const ind = ev.comparison.indicators;
  if (ind !== null && typeof ind !== 'string') bufs.push(ind.diff.buffer);
  return [...new Set(bufs)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}
