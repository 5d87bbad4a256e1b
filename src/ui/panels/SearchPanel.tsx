// Search panel: scoring rule, MAC / parameter limits at the reference, seed, population and
// generations; a progress bar with stop; the Pareto scatter; the top subnets. Picking a row draws
// its architecture and offers its exports (versioned JSON; timm arch_def for MobileNetV2 spaces).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { SPACES } from '../../core/space/spaces.ts';
import { SCORE_RULE_NAMES, type ScoreRuleName, type SearchCandidate } from '../../worker/protocol/index.ts';
import { ArchStrip } from '../charts/ArchStrip.tsx';
import { ArchMini } from '../shell/ArchMini.tsx';
import { ParetoChart } from '../charts/ParetoChart.tsx';
import { formatCount } from '../config/cost.ts';
import { formatInt } from '../format/numbers.ts';
import { intText, optionalNumberText } from '../config/numberText.ts';
import { limitValue, searchLimitRanges, type LimitRange } from '../config/searchLimits.ts';
import { useStore } from '../store/index.ts';
import type { SearchOptionKey } from '../store/searchSlice.ts';
import { CheckedInput } from './CheckedInput.tsx';
import { BlockedReason, PanelError } from './PanelError.tsx';
import { blockingField } from '../store/feedbackSlice.ts';
import './SearchPanel.css';
import { useObjectUrl } from './useObjectUrl.ts';
import { errorMessage } from '../../core/errors.ts';

const RULE_HELP: Record<ScoreRuleName, string> = {
  dirf: 'dirf: sum over layers of log(s / layer reference); identity = 0',
  bnnas: 'bnnas: sum of the BN indicator scores (BN-NAS)',
};

const POPULATION_TEXT = intText(2, 1000);
const GENERATIONS_TEXT = intText(1, 1000);
/** Empty: the run's seed. */
const SEED_TEXT = optionalNumberText({ min: 0, max: 0xffffffff, integer: true, message: `a whole number from 0 to ${formatInt(0xffffffff)}, or empty for the run's seed` });

function LimitSlider(props: { id: string; label: string; range: LimitRange; chosen: number | null; on: boolean; disabled: boolean; onKey: SearchOptionKey; valueKey: SearchOptionKey }) {
  const { id, label, range, chosen, on, disabled, onKey, valueKey } = props;
  const set = useStore.getState().setSearchOption;
  const value = limitValue(range, chosen);
  return (
    <label htmlFor={id} className="limit">
      <span>
        <input type="checkbox" data-testid={`${id}-on`} checked={on} disabled={disabled} onChange={(e) => set(onKey, e.target.checked)} /> {label}:{' '}
        <output data-testid={`${id}-value`} data-value={on ? value : ''}>{on ? formatCount(value) : 'no limit'}</output>
      </span>
      <input
        id={id}
        data-testid={id}
        type="range"
        min={range.min}
        max={range.max}
        step={range.step}
        value={value}
        disabled={disabled || !on}
        onChange={(e) => set(valueKey, Number(e.target.value))}
      />
      <small className="note">
        {formatCount(range.min)} (smallest path) to {formatCount(range.max)} (largest)
      </small>
    </label>
  );
}

function Options({ running }: { running: boolean }) {
  const s = useStore(
    useShallow((v) => ({
      settings: v.settings,
      searchRule: v.searchRule,
      searchMaxMacs: v.searchMaxMacs,
      searchMaxParams: v.searchMaxParams,
      searchMacsOn: v.searchMacsOn,
      searchParamsOn: v.searchParamsOn,
      searchPopulation: v.searchPopulation,
      searchGenerations: v.searchGenerations,
      searchSeed: v.searchSeed,
      setSearchOption: v.setSearchOption,
    })),
  );
  const ranges = useMemo(() => searchLimitRanges(s.settings), [s.settings]);
  const set = s.setSearchOption;
  return (
    <div className="settings search-options">
      <label htmlFor="search-rule">
        <span>Scoring rule</span>
        <select id="search-rule" data-testid="search-rule" value={s.searchRule} disabled={running} onChange={(e) => set('searchRule', e.target.value as ScoreRuleName)}>
          {SCORE_RULE_NAMES.map((r) => (
            <option key={r} value={r} title={RULE_HELP[r]}>
              {r}
            </option>
          ))}
        </select>
        <small className="note">{RULE_HELP[s.searchRule]}</small>
      </label>
      <LimitSlider id="search-max-macs" label="MAC limit" range={ranges.macs} chosen={s.searchMaxMacs} on={s.searchMacsOn} disabled={running} onKey="searchMacsOn" valueKey="searchMaxMacs" />
      <LimitSlider id="search-max-params" label="Parameter limit" range={ranges.params} chosen={s.searchMaxParams} on={s.searchParamsOn} disabled={running} onKey="searchParamsOn" valueKey="searchMaxParams" />
      <CheckedInput id="search-population" label="Population" value={s.searchPopulation} parse={POPULATION_TEXT} inputMode="numeric" disabled={running} onChange={(v) => set('searchPopulation', v)} />
      <CheckedInput id="search-generations" label="Generations" value={s.searchGenerations} parse={GENERATIONS_TEXT} inputMode="numeric" disabled={running} onChange={(v) => set('searchGenerations', v)} />
      <CheckedInput id="search-seed" label="Search seed" value={s.searchSeed} parse={SEED_TEXT} inputMode="numeric" placeholder={`${s.settings.seed} (the run's)`} disabled={running} onChange={(v) => set('searchSeed', v)} />
    </div>
  );
}

function Progress() {
  const s = useStore(
    useShallow((v) => ({
      status: v.status,
      step: v.trainStep,
      choices: v.trainChoices,
      searchStatus: v.searchStatus,
      searchTotal: v.searchTotal,
      searchDone: v.searchDone,
      searchBest: v.searchBest,
      startSearch: v.startSearch,
      stopSearch: v.stopSearch,
      blocked: blockingField(v.fieldErrors, ['search-']),
    })),
  );
  const running = s.searchStatus === 'running';
  const trained = s.status === 'done' && s.step >= 1 && s.choices !== null;
  return (
    <>
      <div className="controls">
        <button type="button" data-testid="search-start" disabled={!trained || running || s.blocked !== null} onClick={() => void s.startSearch()}>
          Search
        </button>
        <button type="button" data-testid="search-stop" disabled={!running} onClick={() => void s.stopSearch()}>
          Stop the search
        </button>
        <progress data-testid="search-progress" max={Math.max(1, s.searchTotal)} value={s.searchDone} />
        <span data-testid="search-status">{s.searchStatus}</span>
        <span className="note">
          {s.searchTotal > 0 && `generation ${s.searchDone} of ${s.searchTotal}`}
          {s.searchBest !== null && `, best fitness ${s.searchBest.toFixed(4)}`}
        </span>
      </div>
      <BlockedReason reason={s.blocked} testId="search-blocked" />
      <PanelError panel="search" />
      {!trained && <p className="note">Search scores subnets by the indicator table of a trained supernet: train at least one step first.</p>}
    </>
  );
}

function Picked() {
  const r = useStore((s) => s.searchResult);
  const picked = useStore((s) => s.searchPicked);
  const exports = useStore((s) => s.searchExports);
  const jsonUrl = useObjectUrl(exports.json?.text ?? null, 'application/json');
  const timmUrl = useObjectUrl(exports.timm?.text ?? null, 'application/json');
  const [copied, setCopied] = useState(false);
  useEffect(() => setCopied(false), [exports.timm]);
  if (r === null || picked === null) return <p className="note">Click a row to draw its architecture and export it.</p>;
  const space = SPACES[r.space];
  const c = r.top[picked];
  const copy = () => {
    if (!exports.timm) return;
    navigator.clipboard.writeText(exports.timm.text).then(
      () => setCopied(true),
      (err: unknown) => useStore.getState().failIn('search', new Error(`copy failed: ${errorMessage(err)}`)),
    );
  };
  return (
    <div className="picked" data-testid="picked" data-arch={c.arch.join(',')}>
      <h3>
        Picked: #{picked + 1}, fitness {c.fitness.toFixed(4)}, {formatCount(c.macs)} MACs, {formatCount(c.params)} params (224 px / 1000 classes)
      </h3>
      <ArchStrip space={space} arch={c.arch} />
      <div className="controls">
        {jsonUrl && exports.json ? (
          <a className="button" data-testid="export-json" href={jsonUrl} download={exports.json.filename}>
            Export JSON
          </a>
        ) : (
          <a className="button" data-testid="export-json" aria-disabled="true">
            Export JSON…
          </a>
        )}
        {space.family === 'mbv2' &&
          (timmUrl && exports.timm ? (
            <>
              <a className="button" data-testid="export-timm" href={timmUrl} download={exports.timm.filename}>
                Download timm arch_def
              </a>
              <button type="button" data-testid="copy-timm" onClick={copy}>
                {copied ? 'Copied' : 'Copy timm arch_def'}
              </button>
            </>
          ) : (
            <a className="button" data-testid="export-timm" aria-disabled="true">
              timm arch_def…
            </a>
          ))}
      </div>
      {exports.timm && (
        <details>
          <summary>timm arch_def (what it is for and how to build it: below the diagram)</summary>
          <pre data-testid="timm-text">{exports.timm.text}</pre>
        </details>
      )}
    </div>
  );
}

const NO_FRONT: SearchCandidate[] = [];

function Results() {
  const s = useStore(
    useShallow((v) => ({
      searchResult: v.searchResult,
      searchOf: v.searchOf,
      choices: v.trainChoices,
      searchPicked: v.searchPicked,
      searchPoints: v.searchPoints,
      searchRule: v.searchRule,
      searchSavedIn: v.searchSavedIn,
      space: v.trainSpace,
      pickResult: v.pickResult,
    })),
  );
  const r = s.searchResult;
  const front = useMemo(() => new Set((r?.pareto ?? []).map((c) => c.arch.join(','))), [r]);
  const stale = r !== null && s.searchOf !== s.choices;
  const picked = r !== null && s.searchPicked !== null ? r.top[s.searchPicked] : null;
  const pickResult = s.pickResult;
  const pick = useCallback((i: number) => void pickResult(i), [pickResult]);
  return (
    <>
      <ParetoChart
        points={s.searchPoints}
        front={r?.pareto ?? NO_FRONT}
        top={r?.top ?? NO_FRONT}
        picked={picked}
        rule={r?.rule ?? s.searchRule}
        space={r ? SPACES[r.space] : s.space ? SPACES[s.space] : null}
        onPick={r === null || stale ? undefined : pick}
      />
      {r !== null && (
        <>
          <p className="note" data-testid="search-summary">
            {r.stopped ? 'Stopped' : 'Done'} after {r.history.length} of {r.generations} generations: {r.evaluated} subnets scored ({r.rule}, seed {r.seed},
            population {r.populationSize}) on the indicator table after {r.tableStep} steps; limits {r.maxMacs === null ? 'none' : `${formatCount(r.maxMacs)} MACs`}
            {r.maxParams !== null && `, ${formatCount(r.maxParams)} params`}. The per-layer argmax subnet has fitness {r.argmax.fitness.toFixed(4)} at{' '}
            {formatCount(r.argmax.macs)} MACs ({r.argmax.withinLimits ? 'within' : 'over'} the limits).
            {s.searchSavedIn !== null && (
              <span data-testid="search-saved"> Stored with run &ldquo;{s.searchSavedIn}&rdquo; (resuming it brings these results back).</span>
            )}
          </p>
          {stale && <p className="error">These results belong to an earlier supernet (it was rebuilt): search again to export.</p>}
          <div className="results">
            <table className="cost result-table" data-testid="result-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>fitness</th>
                  <th>MACs</th>
                  <th>params</th>
                  <th title="on the Pareto front">front</th>
                  <th className="arch-col">architecture</th>
                </tr>
              </thead>
              <tbody>
                {r.top.map((c, i) => (
                  <tr
                    key={c.arch.join(',')}
                    data-testid="result-row"
                    data-arch={c.arch.join(',')}
                    data-fitness={c.fitness}
                    data-macs={c.macs}
                    data-params={c.params}
                    aria-selected={s.searchPicked === i}
                    className={s.searchPicked === i ? 'selected' : undefined}
                    tabIndex={stale ? -1 : 0}
                    onClick={() => !stale && void s.pickResult(i)}
                    onKeyDown={(e) => e.key === 'Enter' && !stale && void s.pickResult(i)}
                  >
                    <td>{i + 1}</td>
                    <td>{c.fitness.toFixed(4)}</td>
                    <td>{formatCount(c.macs)}</td>
                    <td>{formatCount(c.params)}</td>
                    <td>{front.has(c.arch.join(',')) ? '●' : ''}</td>
                    <td className="arch-col">
                      <ArchMini space={SPACES[r.space]} arch={c.arch} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!stale && <Picked />}
        </>
      )}
    </>
  );
}

export function SearchPanel() {
  const running = useStore((s) => s.searchStatus === 'running');
  return (
    <section aria-labelledby="search-heading">
      <h2 id="search-heading">Search</h2>
      <p className="note">
        Evolutionary search (SPOS / BN-NAS) over the trained supernet's indicator table. Limits apply to the cost at 224 px and 1000 classes with the setup's
        width, so the published limits carry over to a small run.
      </p>
      <Options running={running} />
      <Progress />
      <Results />
    </section>
  );
}
