// Pure parts of the runs slice: the list updated by a stored run's change, a resumed run turned
// into the Training panel's values, and the page's persistence parameters (?ckpt=, ?ckptMs=,
// ?debug=1). Unit-tested without a worker.
import type { CheckpointPolicy, RunResumedEvent, RunSummary } from '../../worker/protocol/index.ts';
import { MAX_CURVE_POINTS, TRAIN_DEFAULT, type CurvePoint, type TrainValues } from './trainReducers.ts';

/** The list with `run` replaced (or added, newest first by creation). */
export function withRun(runs: RunSummary[], run: RunSummary): RunSummary[] {
  const rest = runs.filter((r) => r.id !== run.id).map((r) => (run.live && r.live ? { ...r, live: false } : r));
  return [...rest, run].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
}

/** Curve points (1-based steps) of a metrics history, thinned evenly to at most `max`. */
export function pointsOf(loss: Float32Array, acc: Float32Array, max = MAX_CURVE_POINTS): CurvePoint[] {
  const n = loss.length;
  const stride = Math.max(1, Math.ceil(n / max));
  const out: CurvePoint[] = [];
  for (let i = 0; i < n; i += stride) out.push({ step: i + 1, loss: loss[i], acc: acc[i] });
  if (n > 0 && out[out.length - 1].step !== n) out.push({ step: n, loss: loss[n - 1], acc: acc[n - 1] });
  return out;
}

/** The Training panel's values for a session rebuilt from a run's checkpoint. */
export function trainValuesOfResumed(ev: RunResumedEvent): Partial<TrainValues> {
  const n = ev.history.loss.length;
  return {
    ...TRAIN_DEFAULT,
    trainState: ev.state,
    trainStep: ev.step,
    trainTotalSteps: ev.totalSteps,
    trainPoints: pointsOf(ev.history.loss, ev.history.acc),
    trainFirstLoss: n > 0 ? ev.history.loss[0] : null,
    trainLr: n > 0 ? ev.history.lr[n - 1] : null,
    trainSpace: ev.run.settings.space,
    trainChoices: ev.choices,
  };
}

/** Persistence parameters of the page URL; `issues` names the values that were ignored. */
export function persistParams(search: string): { policy: Partial<CheckpointPolicy>; debug: boolean; issues: string[] } {
  const q = new URLSearchParams(search);
  const policy: Partial<CheckpointPolicy> = {};
  const issues: string[] = [];
  const steps = q.get('ckpt');
  if (steps !== null) {
    const v = Number(steps);
    if (Number.isInteger(v) && v >= 1 && v <= 1_000_000) policy.everySteps = v;
    else issues.push(`ckpt=${steps}: checkpoint interval must be an integer number of steps in 1..1000000`);
  }
  const ms = q.get('ckptMs');
  if (ms !== null) {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) policy.everyMs = v;
    else issues.push(`ckptMs=${ms}: checkpoint interval must be a number of milliseconds >= 0`);
  }
  return { policy, debug: q.get('debug') === '1', issues };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
