// `compare RUN_A RUN_B`: two runs side by side (src/core/compare/compareRuns.ts), B against A. A
// RUN is a CLI checkpoint (its curves and watched spectra from the `.history` sidecar `train` writes
// beside it, when there is one) or a run file exported from the lab (`.isonas-run`); the content
// decides. The indicator tables come from the checkpoints. Prints one JSON object (NaN as null).
import { importRunFile, isRunFile } from '../../core/io/supernetFile.ts';
import { parseArgs } from 'node:util';
import { compareRuns, type ComparedRunData } from '../../core/compare/compareRuns.ts';
import { watchedModules } from '../../core/isometry/watchSeries.ts';
import { readCheckpointMeta } from '../../core/train/checkpoint.ts';
import { CHECKPOINT_MAGIC } from '../../core/train/checkpointCodec.ts';
import { checkpointIndicators } from '../../core/train/checkpointIndicators.ts';
import { decodeRunFile, RUN_FILE_MAGIC } from '../../worker/persist/runFile.ts';
import { optInt, UsageError } from '../args.ts';
import { readLimitedFile } from '../checkpointFile.ts';
import { historyPath, readHistoryBeside } from '../history.ts';

export const compareHelp = 'compare RUN_A RUN_B [--window N] [--json]   (RUN: a train checkpoint, with its .history sidecar, or an .isonas-run file)';

interface LoadedRun extends ComparedRunData {
  head: Record<string, unknown>;
}

function startsWith(bytes: Uint8Array, magic: string): boolean {
  return bytes.length >= 8 && [...magic].every((ch, i) => bytes[i] === ch.charCodeAt(0));
}

async function loadRun(path: string, label: string): Promise<LoadedRun> {
  let bytes: Uint8Array;
  try {
    bytes = readLimitedFile(path, label.replace(/^--/, ''));
  } catch (e) {
    throw new UsageError(`${label} ${path}: ${(e as Error).message}`);
  }
  if (isRunFile(bytes)) bytes = await importRunFile(bytes, path); // a PyTorch run (docs/scale-out.md)
  if (startsWith(bytes, RUN_FILE_MAGIC)) {
    const { record, checkpoint } = decodeRunFile(bytes, path);
    const indicators = checkpoint === null ? null : await checkpointIndicators(checkpoint, path);
    const s = record.settings;
    return {
      head: { source: path, kind: 'run-file', name: record.name, space: s.space, init: s.init, seed: s.seed, steps: record.metrics.loss.length, checkpointStep: record.checkpointStep },
      metrics: record.metrics,
      indicators,
      watch: record.watch ?? null,
    };
  }
  if (startsWith(bytes, CHECKPOINT_MAGIC)) {
    const meta = readCheckpointMeta(bytes, path);
    const history = readHistoryBeside(path);
    const indicators = await checkpointIndicators(bytes, path);
    const steps = Math.min(history?.loss.length ?? 0, meta.step);
    return {
      head: { source: path, kind: 'checkpoint', history: history === null ? null : historyPath(path), space: meta.recipe.space, init: meta.recipe.init, seed: meta.recipe.seed, steps, checkpointStep: meta.step },
      metrics: { loss: history?.loss.slice(0, steps) ?? [], acc: history?.acc.slice(0, steps) ?? [] },
      indicators,
      watch: history?.watch ?? null,
    };
  }
  throw new UsageError(`${label} ${path}: neither a checkpoint ("${CHECKPOINT_MAGIC}") nor a run file ("${RUN_FILE_MAGIC}")`);
}

export async function compareCommand(argv: string[]): Promise<object> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { window: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError(`compare needs two runs (RUN_A RUN_B), got ${positionals.length}`);
  const window = optInt(values, 'window', 1);
  const a = await loadRun(positionals[0], 'RUN_A');
  const b = await loadRun(positionals[1], 'RUN_B');
  const c = compareRuns(a, b, window === undefined ? {} : { window });
  const ind = c.indicators;
  const watched = (r: LoadedRun) => (r.watch === null ? [] : watchedModules(r.watch));
  return {
    a: { ...a.head, watched: watched(a) },
    b: { ...b.head, watched: watched(b) },
    curves: c.curves,
    indicators: ind === null || typeof ind === 'string' ? ind : { ...ind, diff: Array.from(ind.diff) },
    spectra: c.spectra,
  };
}
