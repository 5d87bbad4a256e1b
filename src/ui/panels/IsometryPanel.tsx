// Isometry panel: the spectrum of each candidate module's tile Jacobian (squared singular values
// on fixed log bins) with orthogonal and Gaussian (he-normal) initialisations overlaid, before and
// after BN training, the moments table, and the depth profile of the sample path. The worker does
// the analysis (src/worker/isometry.ts); definitions in docs/isometry.md.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { choiceLabel } from '../../core/space/decode.ts';
import { SPACES } from '../../core/space/spaces.ts';
import { CALIBRATION_NAMES, INIT_NAMES, type CalibrationName } from '../../worker/protocol/index.ts';
import { DepthChart } from '../charts/DepthChart.tsx';
import { SpectrumChart } from '../charts/SpectrumChart.tsx';
import { WatchSection } from '../charts/watch/WatchSection.tsx';
import { CheckedInput } from './CheckedInput.tsx';
import { BlockedReason, PanelError } from './PanelError.tsx';
import { blockingField } from '../store/feedbackSlice.ts';
import type { Parsed } from '../config/numberText.ts';
import { useStore } from '../store/index.ts';
import { depthRows, parseLayers, spectrumRows, type IsoRunView } from '../store/isometryReducers.ts';

const INIT_COLORS: Record<string, [string, string]> = {
  // [at init, trained]
  orthogonal: ['#1565c0', '#64b5f6'],
  'he-normal': ['#e65100', '#ffb74d'],
  'delta-orthogonal': ['#2e7d32', '#81c784'],
};

function colorOf(runs: IsoRunView[]): (key: string) => string {
  return (key) => {
    const r = runs.find((x) => x.key === key);
    return r ? INIT_COLORS[r.init][r.trained ? 1 : 0] : '#757575';
  };
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(4)) : '–');

/** Digits only (no "2.0", no "1e1"), 1..64. */
const TILE_TEXT = (text: string): Parsed<number> => {
  const t = text.trim();
  return /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 64 ? { value: Number(t) } : { error: 'a whole number from 1 to 64' };
};

function TileInput() {
  const tile = useStore((s) => s.isoTile);
  const disabled = useStore((s) => s.isoRunning);
  return <CheckedInput id="iso-tile" label="Tile side (px)" value={tile} parse={TILE_TEXT} inputMode="numeric" disabled={disabled} onChange={useStore.getState().setIsoTile} />;
}

function Controls() {
  const s = useStore(
    useShallow((v) => ({
      isoLayersText: v.isoLayersText,
      status: v.status,
      state: v.trainState,
      fieldErrors: v.fieldErrors,
      isoRunning: v.isoRunning,
      isoUseTrained: v.isoUseTrained,
      isoInits: v.isoInits,
      isoCalibration: v.isoCalibration,
      toggleIsoInit: v.toggleIsoInit,
      setIsoLayersText: v.setIsoLayersText,
      setIsoUseTrained: v.setIsoUseTrained,
      setIsoCalibration: v.setIsoCalibration,
      isoStopping: v.isoStopping,
      isoRuns: v.isoRuns,
      runIsometry: v.runIsometry,
      stopIsometry: v.stopIsometry,
      clearIsoRuns: v.clearIsoRuns,
    })),
  );
  const layers = parseLayers(s.isoLayersText, null);
  const ready = s.status === 'done';
  const trainedOk = s.state !== 'idle' && s.state !== 'running';
  const blocked = 'error' in layers ? layers.error : blockingField(s.fieldErrors, ['iso-']) ?? blockingField(s.fieldErrors, ['setting-']);
  const canRun = ready && !s.isoRunning && blocked === null && (s.isoUseTrained ? trainedOk : s.isoInits.length > 0);
  return (
    <>
      <div className="settings">
        <fieldset disabled={s.isoRunning || s.isoUseTrained}>
          <legend>Initialisations (at init)</legend>
          {INIT_NAMES.map((i) => (
            <label key={i} style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
              <input type="checkbox" data-testid={`iso-init-${i}`} checked={s.isoInits.includes(i)} onChange={() => s.toggleIsoInit(i)} /> {i}
            </label>
          ))}
        </fieldset>
        <label htmlFor="iso-layers">
          <span>Layers (e.g. 0,3,7; empty = all)</span>
          <input
            id="iso-layers"
            data-testid="iso-layers"
            value={s.isoLayersText}
            disabled={s.isoRunning}
            aria-invalid={'error' in layers}
            onChange={(e) => s.setIsoLayersText(e.target.value)}
          />
          {'error' in layers && <small className="error">{layers.error}</small>}
        </label>
        <TileInput />
        <label htmlFor="iso-source">
          <span>Supernet</span>
          <select
            id="iso-source"
            data-testid="iso-source"
            value={s.isoUseTrained ? 'trained' : 'init'}
            disabled={s.isoRunning}
            onChange={(e) => s.setIsoUseTrained(e.target.value === 'trained')}
          >
            <option value="init">before training: fresh, one per init</option>
            <option value="trained">after training: the session's (trained BN)</option>
          </select>
        </label>
        <label htmlFor="iso-calibration">
          <span>BN statistics</span>
          <select
            id="iso-calibration"
            data-testid="iso-calibration"
            value={s.isoCalibration}
            disabled={s.isoRunning}
            onChange={(e) => s.setIsoCalibration(e.target.value as CalibrationName)}
          >
            {CALIBRATION_NAMES.map((c) => (
              <option key={c} value={c}>
                {c === 'sequential' ? 'sequential (calibrated on the real input)' : 'stored (running statistics)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {s.isoUseTrained && !trainedOk && <p className="note">After training needs a built session that is paused, stopped or done (Training panel).</p>}
      <div className="controls">
        <button type="button" data-testid="iso-run" disabled={!canRun} onClick={() => void s.runIsometry()}>
          Analyse
        </button>
        <button type="button" data-testid="iso-stop" disabled={!s.isoRunning || s.isoStopping} onClick={() => void s.stopIsometry()}>
          Stop the analysis
        </button>
        <button type="button" data-testid="iso-clear" disabled={s.isoRunning || s.isoRuns.length === 0} onClick={() => s.clearIsoRuns()}>
          Clear
        </button>
      </div>
      <BlockedReason reason={blocked} testId="iso-blocked" />
      <PanelError panel="isometry" />
    </>
  );
}

function Progress() {
  const p = useStore((s) => s.isoProgress);
  const running = useStore((s) => s.isoRunning);
  const stopping = useStore((s) => s.isoStopping);
  const stopped = useStore((s) => s.isoStopped);
  if (!running && p === null) return null;
  return (
    <p className="note" data-testid="iso-status" data-running={running}>
      <progress data-testid="iso-progress" max={p?.total ?? 1} value={p?.done ?? 0} />{' '}
      {p === null
        ? 'starting (building the supernet)…'
        : Number.isNaN(p.meanSq)
          ? `${p.done} of ${p.total} modules: starting ${p.init} at layer ${p.layer} (calibrating BN, forward along the sample path)…`
          : `${p.done} of ${p.total} modules (${p.init}, layer ${p.layer}, candidate ${p.choice})`}
      {stopping && ' – stopping after the module in flight'}
      {!running && stopped && ' – stopped early'}
    </p>
  );
}

function ModulePicker({ runs }: { runs: IsoRunView[] }) {
  const sel = useStore((s) => s.isoSelected);
  const space = useStore((s) => s.isoSetup?.space) ?? 'bnnas-mbv2';
  const pairs = useMemo(() => {
    const seen = new Map<string, { layer: number; choice: number }>();
    for (const r of runs) for (const m of r.modules) seen.set(`${m.layer}:${m.choice}`, { layer: m.layer, choice: m.choice });
    return [...seen.values()].sort((a, b) => a.layer - b.layer || a.choice - b.choice);
  }, [runs]);
  const layers = [...new Set(pairs.map((p) => p.layer))];
  const choices = pairs.filter((p) => p.layer === sel?.layer).map((p) => p.choice);
  const select = useStore.getState().selectIsoModule;
  return (
    <div className="controls">
      <label>
        Layer{' '}
        <select
          data-testid="iso-pick-layer"
          value={sel?.layer ?? ''}
          onChange={(e) => {
            const l = Number(e.target.value);
            select(l, pairs.find((p) => p.layer === l)?.choice ?? 0);
          }}
        >
          {layers.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        Candidate{' '}
        <select data-testid="iso-pick-choice" value={sel?.choice ?? ''} onChange={(e) => sel && select(sel.layer, Number(e.target.value))}>
          {choices.map((c) => (
            <option key={c} value={c}>
              {choiceLabel(SPACES[space], c)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function MomentsTable({ runs }: { runs: IsoRunView[] }) {
  const sel = useStore((s) => s.isoSelected);
  const space = useStore((s) => s.isoSetup?.space) ?? 'bnnas-mbv2';
  if (sel === null) return null;
  const rows = runs.flatMap((r) => r.modules.filter((m) => m.layer === sel.layer).map((m) => ({ run: r.key, m })));
  rows.sort((a, b) => a.m.choice - b.m.choice);
  return (
    <table className="cost" data-testid="iso-moments">
      <caption>
        Layer {sel.layer}: moments of the squared singular values (an isometry has mean 1, variance 0)
      </caption>
      <thead>
        <tr>
          <th>candidate</th>
          <th>run</th>
          <th>mean</th>
          <th>variance</th>
          <th>var / mean²</th>
          <th>min</th>
          <th>max</th>
          <th>J rows × cols (tile)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ run, m }) => (
          <tr
            key={`${run}:${m.choice}`}
            data-testid="iso-moment-row"
            aria-selected={m.choice === sel.choice}
            style={m.choice === sel.choice ? { fontWeight: 600 } : undefined}
            onClick={() => useStore.getState().selectIsoModule(m.layer, m.choice)}
          >
            <td>{choiceLabel(SPACES[space], m.choice)}</td>
            <td>{run}</td>
            <td>{fmt(m.meanSq)}</td>
            <td>{fmt(m.varSq)}</td>
            <td>{fmt(m.varSq / m.meanSq ** 2)}</td>
            <td>{fmt(m.min)}</td>
            <td>{fmt(m.max)}</td>
            <td>
              {m.rows} × {m.cols} ({m.tile}×{m.tile})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Results() {
  const runs = useStore((s) => s.isoRuns);
  const edges = useStore((s) => s.isoEdges);
  const sel = useStore((s) => s.isoSelected);
  const setup = useStore((s) => s.isoSetup);
  const color = useMemo(() => colorOf(runs), [runs]);
  const spectrum = useMemo(() => (sel === null ? null : spectrumRows(runs, edges, sel.layer, sel.choice)), [runs, edges, sel]);
  const depth = useMemo(() => depthRows(runs), [runs]);
  const depthRuns = runs.filter((r) => r.depth.length > 0).map((r) => r.key);
  if (runs.length === 0 || setup === null) return <p className="note">Spectra appear here after an analysis.</p>;
  const label = sel ? `layer ${sel.layer}, ${choiceLabel(SPACES[setup.space], sel.choice)}` : '';
  return (
    <>
      <p className="note" data-testid="iso-setup">
        {setup.space}, {setup.resolution} px, width {setup.widthMult}, {setup.numClasses} classes, seed {setup.seed}, batch {setup.batchSize}, BN{' '}
        {setup.calibration}; runs: {runs.map((r) => r.key).join('; ')}
      </p>
      <ModulePicker runs={runs} />
      {spectrum && (
        <SpectrumChart
          title={`Squared singular values of the tile Jacobian, ${label}: fraction per bin`}
          rows={spectrum.rows}
          series={spectrum.series}
          colorOf={color}
        />
      )}
      <MomentsTable runs={runs} />
      {depthRuns.length > 0 && (
        <div className="charts">
          <DepthChart testId="iso-depth-var" title="Forward signal variance per depth (sample path)" yTitle="variance (log scale)" rows={depth} prefix="var" series={depthRuns} colorOf={color} />
          <DepthChart testId="iso-depth-grad" title="Gradient norm per depth (random logit cotangent)" yTitle="gradient norm (log scale)" rows={depth} prefix="grad" series={depthRuns} colorOf={color} />
        </div>
      )}
    </>
  );
}

export function IsometryPanel() {
  return (
    <section aria-labelledby="isometry-heading" data-testid="isometry-panel">
      <h2 id="isometry-heading">Isometry</h2>
      <p className="note">
        Each candidate module&apos;s Jacobian at its real input (the batch run along a sample path, BN as the affine map of its
        statistics), exact on a small spatial tile; its squared singular values on fixed log bins. Dynamical isometry means all of
        them near 1. Compare initialisations at init, or the training session&apos;s supernet after BN training.
      </p>
      <Controls />
      <Progress />
      <Results />
      <WatchSection idPrefix="iso" />
    </section>
  );
}
