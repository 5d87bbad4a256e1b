// Two stored runs side by side (Runs panel): pick run A and run B, and see their loss and top-1
// curves overlaid, their indicator heatmaps side by side with the difference and the per-layer
// Kendall tau, and the watched spectra of one layer and candidate overlaid (meanSq over steps, the
// last histograms, the two heat strips). The selection is in the URL (cmpA, cmpB, cmpLayer,
// cmpChoice): opening that URL reproduces the comparison.
import { useEffect, useMemo, useState } from 'react';
import { choiceLabel } from '../../core/space/decode.ts';
import { SPACES } from '../../core/space/spaces.ts';
import { IDENTITY } from '../../core/space/types.ts';
import { moduleTrack, trackFractions, watchedModules } from '../../core/isometry/watchSeries.ts';
import type { IndicatorSnapshot } from '../../core/model/indicatorTable.ts';
import type { RunComparedEvent } from '../../worker/protocol/index.ts';
import { IndicatorHeatmap } from '../charts/IndicatorHeatmap.tsx';
import { HeatStrip } from '../charts/watch/HeatStrip.tsx';
import { LogCurves } from '../charts/watch/LogCurves.tsx';
import { StepHistogram } from '../charts/watch/StepHistogram.tsx';
import { useStore } from '../store/index.ts';
import { alignTracks, overlayCurves } from './compareShape.ts';
import { DiffHeatmap } from './DiffHeatmap.tsx';

const A = 'var(--run-a, #1565c0)';
const B = 'var(--run-b, #e65100)';

export function RunCompare() {
  const ready = useStore((s) => s.status === 'done');
  const connected = useStore((s) => s.runsConnected);
  const runs = useStore((s) => s.runs);
  const cmp = useStore((s) => s.cmp);
  const busy = useStore((s) => s.cmpBusy);
  const compared = useStore((s) => s.compared);
  const { setCompare, compareRuns, compareFromUrl } = useStore.getState();
  useEffect(() => {
    if (ready && connected) void compareFromUrl(window.location.search);
  }, [ready, connected, compareFromUrl]);
  const pick = (which: 'runA' | 'runB') => (
    <select style={{ maxWidth: '100%' }} data-testid={`cmp-${which === 'runA' ? 'a' : 'b'}`} value={cmp[which] ?? ''} onChange={(e) => setCompare({ [which]: e.target.value || null })}>
      <option value="">(choose a run)</option>
      {runs.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name} · {r.settings.init} · {r.step} steps
        </option>
      ))}
    </select>
  );
  return (
    <div className="run-compare" data-testid="run-compare" data-state={compared === null ? 'none' : 'compared'}>
      <h3>Compare two runs</h3>
      <div className="controls">
        <label>
          <span style={{ color: A, fontWeight: 600 }}>A</span> {pick('runA')}
        </label>
        <label>
          <span style={{ color: B, fontWeight: 600 }}>B</span> {pick('runB')}
        </label>
        <button type="button" data-testid="cmp-go" disabled={!ready || busy || cmp.runA === null || cmp.runB === null} onClick={() => void compareRuns()}>
          Compare
        </button>
      </div>
      {compared !== null && <Comparison ev={compared} />}
    </div>
  );
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '–');
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '–');

function Comparison({ ev }: { ev: RunComparedEvent }) {
  const [hover, setHover] = useState<number | null>(null);
  const c = ev.comparison.curves;
  const loss = useMemo(() => overlayCurves(ev.a.metrics.loss, ev.b.metrics.loss), [ev]);
  const acc = useMemo(() => overlayCurves(ev.a.metrics.acc, ev.b.metrics.acc), [ev]);
  const name = (r: RunComparedEvent['a']) => `${r.run.name} (${r.run.settings.init})`;
  return (
    <div className="cmp-body">
      <p className="note" data-testid="cmp-summary" data-common={c.common} data-tau={typeof ev.comparison.indicators === 'object' && ev.comparison.indicators !== null ? ev.comparison.indicators.tau : ''}>
        <span style={{ color: A }}>A: {name(ev.a)}</span>, <span style={{ color: B }}>B: {name(ev.b)}</span>. Over the last {c.window} of {c.common} common steps:
        loss {num(c.finalLossA)} vs {num(c.finalLossB)}, top-1 {pct(c.finalAccA)} vs {pct(c.finalAccB)}.
        {ev.a.problem && <span className="error"> A: {ev.a.problem}</span>}
        {ev.b.problem && <span className="error"> B: {ev.b.problem}</span>}
      </p>
      <div className="charts">
        <LogCurves
          linear
          testId="cmp-loss"
          title="loss per step (smoothed cross-entropy)"
          yTitle="loss"
          series={[
            { label: 'A', xs: loss.steps, values: loss.a, color: A },
            { label: 'B', xs: loss.steps, values: loss.b, color: B, dashed: true },
          ]}
          hover={hover}
          onHover={setHover}
        />
        <LogCurves
          linear
          testId="cmp-acc"
          title="top-1 on the batch per step (fraction)"
          yTitle="top-1"
          series={[
            { label: 'A', xs: acc.steps, values: acc.a, color: A },
            { label: 'B', xs: acc.steps, values: acc.b, color: B, dashed: true },
          ]}
          hover={hover}
          onHover={setHover}
        />
      </div>
      <Indicators ev={ev} />
      <Spectra ev={ev} />
    </div>
  );
}

const tableOf = (s: IndicatorSnapshot) => ({ step: s.step, choices: s.choices, scores: Array.from(s.scores) });

function Indicators({ ev }: { ev: RunComparedEvent }) {
  const space = ev.a.run.settings.space;
  const columns = useMemo(() => [IDENTITY, ...SPACES[space].candidates.map((_, i) => i)], [space]);
  const label = (c: number) => choiceLabel(SPACES[space], c);
  const ind = ev.comparison.indicators;
  return (
    <>
      <h4>Indicator scores s(l, c): A, B and B − A with the per-layer Kendall tau</h4>
      {ind === null && <p className="note">One of the runs has no stored indicator table (no checkpoint yet).</p>}
      {typeof ind === 'string' && <p className="error">{ind}</p>}
      <div className="cmp-heatmaps" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 22rem), 1fr))', gap: '1rem' }}>
        {ev.a.indicators && (
          <div data-testid="cmp-heatmap-a" style={{ overflowX: 'auto' }}>
            <strong style={{ color: A }}>A</strong>
            <IndicatorHeatmap table={tableOf(ev.a.indicators)} columns={columns} label={label} />
          </div>
        )}
        {ev.b.indicators && (
          <div data-testid="cmp-heatmap-b" style={{ overflowX: 'auto' }}>
            <strong style={{ color: B }}>B</strong>
            <IndicatorHeatmap table={tableOf(ev.b.indicators)} columns={columns} label={label} />
          </div>
        )}
        {ind !== null && typeof ind === 'object' && (
          <div>
            <strong>B − A</strong>
            <DiffHeatmap cmp={ind} columns={columns} label={label} />
          </div>
        )}
      </div>
    </>
  );
}

function Spectra({ ev }: { ev: RunComparedEvent }) {
  const cmp = useStore((s) => s.cmp);
  const { setCompare } = useStore.getState();
  const [hover, setHover] = useState<number | null>(null);
  const space = ev.a.run.settings.space;
  const label = (c: number) => choiceLabel(SPACES[space], c);
  const mods = useMemo(() => {
    const a = ev.a.watch ? watchedModules(ev.a.watch) : [];
    const b = new Set(ev.b.watch ? watchedModules(ev.b.watch).map((m) => `${m.layer}:${m.choice}`) : []);
    return a.filter((m) => b.has(`${m.layer}:${m.choice}`));
  }, [ev]);
  if (mods.length === 0 || !ev.a.watch || !ev.b.watch) return <p className="note" data-testid="cmp-no-spectra">No module was watched in both runs.</p>;
  const sel = mods.find((m) => m.layer === cmp.layer && m.choice === cmp.choice) ?? mods[0];
  const ta = moduleTrack(ev.a.watch, sel.layer, sel.choice);
  const tb = moduleTrack(ev.b.watch, sel.layer, sel.choice);
  const al = alignTracks(ta, tb);
  // each run on its own frames (a run's line does not break where only the other has a frame)
  const own = (f: number[], v: number[]) => ({ xs: al.steps.filter((_, i) => f[i] >= 0).map((s) => s + 1), values: v.filter((_, i) => f[i] >= 0) });
  const ownA = own(al.frameA, al.meanSqA);
  const ownB = own(al.frameB, al.meanSqB);
  const hist = ev.a.watch.hist;
  const sc = ev.comparison.spectra.find((s) => s.layer === sel.layer && s.choice === sel.choice);
  return (
    <>
      <h4>Watched spectra of one module in both runs</h4>
      <div className="controls">
        <label>
          Module{' '}
          <select
            data-testid="cmp-module"
            value={`${sel.layer}:${sel.choice}`}
            onChange={(e) => {
              const [l, ch] = e.target.value.split(':').map(Number);
              setCompare({ layer: l, choice: ch });
            }}
          >
            {mods.map((m) => (
              <option key={`${m.layer}:${m.choice}`} value={`${m.layer}:${m.choice}`}>
                L{m.layer} {label(m.choice)}
              </option>
            ))}
          </select>
        </label>
        {sc && (
          <span className="note" data-testid="cmp-spectrum-figures">
            mean log10(meanSq B / meanSq A) over {sc.commonSteps} common steps: {Number.isFinite(sc.meanLog10MeanSqRatio) ? sc.meanLog10MeanSqRatio.toFixed(3) : '–'}; last
            histograms differ by {Number.isFinite(sc.lastHistogramTV) ? sc.lastHistogramTV.toFixed(3) : '–'} (total variation)
          </span>
        )}
      </div>
      <div className="charts">
        <LogCurves
          testId="cmp-meansq"
          title={`meanSq of σ², L${sel.layer} ${label(sel.choice)} (dashed red: 1)`}
          yTitle="meanSq (log scale)"
          series={[
            { label: 'A', ...ownA, color: A },
            { label: 'B', ...ownB, color: B, dashed: true },
          ]}
          hover={hover}
          onHover={setHover}
        />
        {ta && tb && (
          <StepHistogram
            testId="cmp-last-hist"
            hist={hist}
            title={`last frames: A after step ${ta.steps[ta.steps.length - 1] + 1}, B after step ${tb.steps[tb.steps.length - 1] + 1}`}
            bars={[
              { label: 'A', fractions: trackFractions(ta, ta.steps.length - 1), color: A },
              { label: 'B', fractions: trackFractions(tb, tb.steps.length - 1), color: B },
            ]}
          />
        )}
      </div>
      <div className="charts">
        {ta && <HeatStrip track={ta} hist={hist} title={`A: ${ev.a.run.name}`} hover={hover === null ? null : hover - 1} onHover={(s) => setHover(s === null ? null : s + 1)} testId="cmp-strip-a" />}
        {tb && <HeatStrip track={tb} hist={hist} title={`B: ${ev.b.run.name}`} hover={hover === null ? null : hover - 1} onHover={(s) => setHover(s === null ? null : s + 1)} testId="cmp-strip-b" />}
      </div>
    </>
  );
}
