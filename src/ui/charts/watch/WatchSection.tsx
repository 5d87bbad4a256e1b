// Live isometry in a panel: the watch list editor, then the watched spectra of the live run (or the
// run resumed; its stored series comes back with it): for the chosen layer and candidate, the heat
// strip of its histogram over steps with a colour bar, the meanSq / varSq curves, and the histogram
// of the hovered step (else the last); below, small multiples of the layer's other candidates
// (click one to choose it). Redrawn at most every 300 ms however fast frames stream.
import { useEffect, useMemo, useState } from 'react';
import { choiceLabel } from '../../../core/space/decode.ts';
import { SPACES } from '../../../core/space/spaces.ts';
import { moduleTrack, trackFractions, trackIndexAt, watchedModules, type ModuleTrack, type WatchSeries } from '../../../core/isometry/watchSeries.ts';
import { useStore } from '../../store/index.ts';
import { useThrottled } from '../useThrottled.ts';
import { ColorBar, HeatStrip } from './HeatStrip.tsx';
import { LogCurves } from './LogCurves.tsx';
import { StepHistogram } from './StepHistogram.tsx';
import { WatchListEditor } from './WatchListEditor.tsx';

const MEAN = 'var(--watch-mean, #1565c0)';
const VAR = 'var(--watch-var, #d84315)';

/** Connects the watch stream once the engine is ready (idempotent; every section calls it). */
function useWatchConnection() {
  const ready = useStore((s) => s.status === 'done');
  useEffect(() => {
    if (ready) void useStore.getState().connectWatch(window.location.search);
  }, [ready]);
}

export function WatchSection({ idPrefix }: { idPrefix: string }) {
  useWatchConnection();
  const live = useStore((s) => s.watchSeries);
  const series = useThrottled(live, 300);
  return (
    <div className="watch-section" data-testid={`${idPrefix}-watch`}>
      <h3>Live isometry: watched spectra while the supernet trains</h3>
      <WatchListEditor idPrefix={idPrefix} />
      {series === null || series.step.length === 0 ? (
        <p className="note" data-testid={`${idPrefix}-watch-empty`}>
          The watched modules&apos; spectra appear here as training runs (analysed between steps on the step&apos;s batch).
        </p>
      ) : (
        <WatchCharts series={series} idPrefix={idPrefix} />
      )}
    </div>
  );
}

function WatchCharts({ series, idPrefix }: { series: WatchSeries; idPrefix: string }) {
  const space = useStore((s) => s.trainSpace) ?? 'bnnas-mbv2';
  const label = (c: number) => choiceLabel(SPACES[space], c);
  const pickedLayer = useStore((s) => s.watchLayer);
  const pickedChoice = useStore((s) => s.watchChoice);
  const { selectWatch } = useStore.getState();
  const [hover, setHover] = useState<number | null>(null);
  const mods = useMemo(() => watchedModules(series), [series]);
  const layers = [...new Set(mods.map((m) => m.layer))];
  const layer = pickedLayer !== null && layers.includes(pickedLayer) ? pickedLayer : layers[0];
  const inLayer = mods.filter((m) => m.layer === layer).map((m) => m.choice);
  const choice = pickedChoice !== null && inLayer.includes(pickedChoice) ? pickedChoice : inLayer[0];
  const tracks = useMemo(() => inLayer.map((c) => moduleTrack(series, layer, c)).filter((t): t is ModuleTrack => t !== null), [series, layer, inLayer.join(',')]);
  const track = tracks.find((t) => t.choice === choice) ?? null;
  if (track === null) return null;
  const at = trackIndexAt(track, hover ?? Infinity);
  const xs = Array.from(track.steps, (s) => s + 1);
  const top = maxFraction(track);
  const strip = (
    <HeatStrip
      track={track}
      hist={series.hist}
      title={`Layer ${layer}, ${label(choice)}: histogram of σ² over steps (tile ${track.tile}, J ${track.rows}×${track.cols})`}
      hover={hover}
      onHover={setHover}
      testId={`${idPrefix}-watch-strip`}
      scaleMax={top}
    />
  );
  return (
    <div className="watch-charts">
      <div className="controls">
        <label>
          Layer{' '}
          <select data-testid={`${idPrefix}-watch-layer`} value={layer} onChange={(e) => selectWatch(Number(e.target.value), choice)}>
            {layers.map((l) => (
              <option key={l} value={l}>
                L{l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Candidate{' '}
          <select data-testid={`${idPrefix}-watch-choice`} value={choice} onChange={(e) => selectWatch(layer, Number(e.target.value))}>
            {inLayer.map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
        </label>
        <span className="note">
          {series.step.length} entries; last step {series.step[series.step.length - 1] + 1}; BN {series.calibration}
        </span>
      </div>
      <div className="charts">
        <div>
          {strip}
          <ColorBar max={top} />
        </div>
        <div>
          <LogCurves
            testId={`${idPrefix}-watch-moments`}
            title="mean and variance of σ² per step (dashed: 1)"
            yTitle="σ² moment (log scale)"
            series={[
              { label: 'meanSq', xs, values: track.meanSq, color: MEAN },
              { label: 'varSq', xs, values: track.varSq, color: VAR, dashed: true },
            ]}
            hover={hover === null ? null : track.steps[at] + 1}
            onHover={(x) => setHover(x === null ? null : x - 1)}
          />
          <StepHistogram
            hist={series.hist}
            title={`${hover === null ? 'Last' : 'Hovered'} frame: after step ${track.steps[at] + 1}, fraction of σ² per bin (dashed: σ² = 1)`}
            bars={[{ label: label(choice), fractions: trackFractions(track, at), color: MEAN }]}
            testId={`${idPrefix}-watch-step-hist`}
          />
        </div>
      </div>
      <h4>Candidates of layer {layer} (click to choose)</h4>
      <div className="watch-multiples" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: '0.5rem' }}>
        {tracks.map((t) => (
          <HeatStrip
            key={t.choice}
            small
            track={t}
            hist={series.hist}
            title={label(t.choice)}
            hover={hover}
            onHover={setHover}
            selected={t.choice === choice}
            onSelect={() => selectWatch(layer, t.choice)}
            testId={`${idPrefix}-watch-multiple`}
          />
        ))}
      </div>
    </div>
  );
}

function maxFraction(t: ModuleTrack): number {
  let m = 0;
  for (const v of t.fractions) if (v > m) m = v;
  return m;
}
