// Training panel: controls, step counter, loss and top-1 curves, lr, throughput, ETA, and the
// live indicator heatmap.
import { memo, useCallback, useDeferredValue, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { choiceLabel } from '../../core/space/decode.ts';
import { SPACES } from '../../core/space/spaces.ts';
import { IDENTITY } from '../../core/space/types.ts';
import { CurveChart } from '../charts/CurveChart.tsx';
import { IndicatorHeatmap } from '../charts/IndicatorHeatmap.tsx';
import { WatchSection } from '../charts/watch/WatchSection.tsx';
import { useStore } from '../store/index.ts';
import { blockingField } from '../store/feedbackSlice.ts';
import { formatDuration, formatSig } from '../format/numbers.ts';
import { isWarming } from '../shell/readout.ts';
import { BlockedReason, PanelError } from './PanelError.tsx';
import { classCountProblem } from '../config/dataClasses.ts';

const formatEta = formatDuration;

function Controls() {
  const state = useStore((s) => s.trainState);
  const busy = useStore((s) => s.trainBusy);
  const ready = useStore((s) => s.status === 'done');
  // an invalid setup box, or fewer classes than the loaded data has, keeps Start off (with the reason)
  const blocked = useStore((s) => blockingField(s.fieldErrors, ['setting-']) ?? classCountProblem(s.settings.numClasses, s.dataSelected));
  const { startTrain, pauseTrain, resumeTrain, stopTrain } = useStore.getState();
  const canStart = ready && !busy && state !== 'running' && state !== 'paused' && blocked === null;
  return (
    <div className="controls">
      <button type="button" data-testid="train-start" disabled={!canStart} onClick={() => void startTrain()}>
        {state === 'idle' ? 'Start' : 'Start over'}
      </button>
      <button type="button" data-testid="train-pause" disabled={busy || state !== 'running'} onClick={() => void pauseTrain()}>
        Pause
      </button>
      <button type="button" data-testid="train-resume" disabled={busy || state !== 'paused'} onClick={() => void resumeTrain()}>
        Resume
      </button>
      <button
        type="button"
        data-testid="train-stop"
        disabled={busy || (state !== 'running' && state !== 'paused')}
        onClick={() => void stopTrain()}
      >
        Stop training
      </button>
      <BlockedReason reason={blocked} testId="train-blocked" />
      <PanelError panel="train" />
    </div>
  );
}

function Stats() {
  const s = useStore(
    useShallow((v) => ({
      last: v.trainPoints.at(-1),
      state: v.trainState,
      step: v.trainStep,
      totalSteps: v.trainTotalSteps,
      epoch: v.trainEpoch,
      lr: v.trainLr,
      imagesPerSec: v.trainImagesPerSec,
      etaSec: v.trainEtaSec,
      warmup: v.trainWarmup,
    })),
  );
  const last = s.last;
  const warming = isWarming(s.state, s.imagesPerSec);
  return (
    <dl className="stats">
      <dt>State</dt>
      <dd>
        <span data-testid="train-state">{s.state}</span>
        {warming && (
          <span className="note" data-testid="train-warmup">
            {' '}
            {s.warmup
              ? `· warming up: compiling the GPU programs of every candidate, path ${s.warmup.done} of ${s.warmup.total} (no ETA until a steady step)`
              : '· warming up: the first step compiles the programs of the candidates it meets (no ETA until a steady step)'}
          </span>
        )}
      </dd>
      <dt>Step</dt>
      <dd>
        <span data-testid="train-step">{s.step}</span>
        {s.totalSteps > 0 && ` of ${s.totalSteps}`}
      </dd>
      <dt>Epoch</dt>
      <dd data-testid="train-epoch">{s.epoch === null ? '–' : s.epoch.toFixed(3)}</dd>
      <dt>Loss / top-1 (batch)</dt>
      <dd>{last ? `${last.loss.toFixed(4)} / ${(100 * last.acc).toFixed(1)} %` : '–'}</dd>
      <dt>Learning rate</dt>
      <dd data-testid="train-lr">{s.lr === null ? '–' : s.lr.toPrecision(4)}</dd>
      <dt>Throughput</dt>
      <dd data-testid="train-throughput">{s.imagesPerSec === null || !Number.isFinite(s.imagesPerSec) ? '–' : `${formatSig(s.imagesPerSec)} images/s`}</dd>
      <dt>ETA</dt>
      <dd data-testid="train-eta">{warming ? 'after warm-up' : s.state === 'running' ? formatEta(s.etaSec) : '–'}</dd>
    </dl>
  );
}

/** Drawn from a deferred copy of the table (an interruptible render, as CurveChart does). */
const HeatmapView = memo(IndicatorHeatmap);

function Heatmap() {
  const table = useDeferredValue(useStore((s) => s.trainIndicators));
  const space = useStore((s) => s.trainSpace) ?? 'bnnas-mbv2';
  const columns = useMemo(() => [IDENTITY, ...SPACES[space].candidates.map((_, i) => i)], [space]);
  const label = useCallback((c: number) => choiceLabel(SPACES[space], c), [space]);
  if (table === null) return <p className="note">The indicator heatmap appears with the first table from a run.</p>;
  return <HeatmapView table={table} columns={columns} label={label} />;
}

export function TrainingPanel() {
  const points = useStore((s) => s.trainPoints);
  const firstLoss = useStore((s) => s.trainFirstLoss);
  return (
    <section aria-labelledby="training-heading">
      <h2 id="training-heading">Training</h2>
      <Controls />
      <Stats />
      <div className="charts">
        <CurveChart
          testId="loss-chart"
          title="Loss (smoothed cross-entropy, mean over the step's paths)"
          yTitle="loss (nats)"
          points={points}
          dataKey="loss"
          color="var(--cat-4)"
          data={{ 'data-first-loss': firstLoss === null ? '' : firstLoss.toFixed(6) }}
        />
        <CurveChart testId="acc-chart" title="Top-1 on the batch" yTitle="top-1 (%)" points={points} dataKey="acc" color="var(--cat-1)" />
      </div>
      <div className="train-heatmap">
        <h3>Indicator scores s(l, c) = mean |γ| of each candidate's BN</h3>
        <Heatmap />
      </div>
      <WatchSection idPrefix="train" />
    </section>
  );
}
