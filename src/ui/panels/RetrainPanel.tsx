// Retrain panel: the subnet picked in Search, built standalone with every weight trainable and
// trained from scratch on the run's data (src/core/retrain); loss / top-1 curves, held-out
// evaluations, the final top-1 / top-5 and the trained network's checkpoint.
import { useShallow } from 'zustand/react/shallow';
import { choiceLabel } from '../../core/space/decode.ts';
import { SPACES } from '../../core/space/spaces.ts';
import { CurveChart } from '../charts/CurveChart.tsx';
import { formatCount } from '../config/cost.ts';
import { intText, optionalNumberText } from '../config/numberText.ts';
import { useStore } from '../store/index.ts';
import { pickedArch, type RetrainOptionKey } from '../store/retrainSlice.ts';
import { CheckedInput } from './CheckedInput.tsx';
import { BlockedReason, PanelError } from './PanelError.tsx';
import { blockingField } from '../store/feedbackSlice.ts';
import { useObjectUrl } from './useObjectUrl.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

const LR_TEXT = optionalNumberText({ min: 0, max: 10, minExclusive: true, integer: false, message: 'a number above 0 and at most 10, or empty for the default' });

export function RetrainPanel() {
  const s = useStore(
    useShallow((v) => ({
      ready: v.status === 'done',
      trainState: v.trainState,
      searchResult: v.searchResult,
      searchPicked: v.searchPicked,
      searchOf: v.searchOf,
      trainChoices: v.trainChoices,
      retrainSteps: v.retrainSteps,
      retrainLr: v.retrainLr,
      retrainEvalBatches: v.retrainEvalBatches,
      retrainEvalEvery: v.retrainEvalEvery,
      status: v.retrainStatus,
      arch: v.retrainArch,
      step: v.retrainStep,
      total: v.retrainTotal,
      points: v.retrainPoints,
      evals: v.retrainEvals,
      result: v.retrainResult,
      blocked: blockingField(v.fieldErrors, ['retrain-']),
    })),
  );
  const { setRetrainOption, startRetrain, stopRetrain } = useStore.getState();
  // pickedArch builds a fresh object: computed from the selected (stable) values, not in the selector
  const picked = pickedArch(s);
  const space = s.searchResult?.space ?? null;
  const set = (k: RetrainOptionKey) => (v: number | null) => setRetrainOption(k, v as never);
  const running = s.status === 'running';
  const ckptUrl = useObjectUrl(s.result?.checkpoint ?? null, 'application/octet-stream');
  const pickedOk = 'arch' in picked;
  const canStart = s.ready && pickedOk && !running && s.trainState !== 'running' && s.blocked === null;
  const label = (arch: number[]) => (space ? arch.map((c) => choiceLabel(SPACES[space], c)).join(' ') : arch.join(','));
  return (
    <section aria-labelledby="retrain-heading">
      <h2 id="retrain-heading">Retrain</h2>
      <p className="note">
        The picked subnet as a standalone network (identity layers dropped, every weight trainable, he-normal init), trained from scratch on the run's data with
        SGD, a cosine schedule and label smoothing; top-1 / top-5 on the held-out split.
      </p>
      <p data-testid="retrain-subnet">
        {'arch' in picked ? (
          <>
            Subnet: <code>{label(picked.arch)}</code>
          </>
        ) : (
          <span className="note">No subnet: {picked.reason}.</span>
        )}
      </p>
      <div className="settings">
        <CheckedInput id="retrain-steps" label="Steps" value={s.retrainSteps} disabled={running} parse={intText(1, 1_000_000)} onChange={set('retrainSteps')} />
        <CheckedInput
          id="retrain-lr"
          label="Peak learning rate"
          value={s.retrainLr}
          placeholder="0.05 (default)"
          disabled={running}
          parse={LR_TEXT}
          onChange={set('retrainLr')}
        />
        <CheckedInput id="retrain-eval-batches" label="Held-out batches per evaluation" value={s.retrainEvalBatches} disabled={running} parse={intText(1, 100_000)} onChange={set('retrainEvalBatches')} />
        <CheckedInput id="retrain-eval-every" label="Evaluate every (steps; 0 = at the end)" value={s.retrainEvalEvery} disabled={running} parse={intText(0, 1_000_000)} onChange={set('retrainEvalEvery')} />
      </div>
      <div className="controls">
        <button type="button" data-testid="retrain-start" disabled={!canStart} onClick={() => void startRetrain()}>
          Retrain
        </button>
        <button type="button" data-testid="retrain-stop" disabled={!running} onClick={() => void stopRetrain()}>
          Stop retraining
        </button>
        <progress data-testid="retrain-progress" max={Math.max(1, s.total)} value={s.step} />
        <span data-testid="retrain-status">{s.status}</span>
        <span className="note">
          step <span data-testid="retrain-step">{s.step}</span>
          {s.total > 0 && ` of ${s.total}`}
        </span>
      </div>
      <BlockedReason reason={s.blocked} testId="retrain-blocked" />
      <PanelError panel="retrain" />
      {s.trainState === 'running' && <p className="note">Pause or stop the supernet's training to retrain.</p>}
      <div className="charts">
        <CurveChart testId="retrain-loss-chart" title="Retrain loss (smoothed cross-entropy, batch)" yTitle="loss (nats)" points={s.points} dataKey="loss" color="var(--cat-5)" />
        <CurveChart testId="retrain-acc-chart" title="Retrain top-1 on the batch" yTitle="top-1 (%)" points={s.points} dataKey="acc" color="var(--cat-3)" />
      </div>
      {s.evals.length > 0 && (
        <table className="cost" data-testid="retrain-evals">
          <caption>Held-out evaluations</caption>
          <thead>
            <tr>
              <th>after step</th>
              <th>top-1</th>
              <th>top-5</th>
              <th>loss</th>
            </tr>
          </thead>
          <tbody>
            {s.evals.map((e, i) => (
              <tr key={i} data-testid="retrain-eval">
                <td>{e.step}</td>
                <td>{pct(e.top1)}</td>
                <td>{pct(e.top5)}</td>
                <td>{e.loss.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.result && (
        <dl className="stats" data-testid="retrain-result">
          <dt>Final top-1 / top-5 (held-out)</dt>
          <dd>
            <span data-testid="retrain-top1" data-value={s.result.top1}>
              {pct(s.result.top1)}
            </span>{' '}
            /{' '}
            <span data-testid="retrain-top5" data-value={s.result.top5}>
              {pct(s.result.top5)}
            </span>{' '}
            on {s.result.images} images{s.result.stopped && ' (stopped early)'}
          </dd>
          <dt>Network</dt>
          <dd>
            {formatCount(s.result.params)} params, {formatCount(s.result.macs)} MACs at the run's size; {s.result.steps} steps on {s.result.data}
          </dd>
          <dt>Checkpoint</dt>
          <dd>
            {ckptUrl && (
              <a data-testid="retrain-checkpoint" href={ckptUrl} download={`isonas-retrain-${s.result.space}-${s.result.arch.map((c) => (c < 0 ? 'i' : c)).join('')}.ckpt`}>
                Download ({(s.result.checkpoint.byteLength / 1e6).toFixed(2)} MB)
              </a>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}
