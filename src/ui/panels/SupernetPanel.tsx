// Supernet panel: the setup (preset, space, size, init, seed, mode, sampler, batch, steps, lr),
// the URL's invalid parameters, and the MACs / params of the supernet's extreme paths.
import { useMemo } from 'react';
import { getSpace } from '../../core/space/spaces.ts';
import { PRESET_NAMES, type PresetName, type TrainSettings } from '../../worker/protocol/index.ts';
import { supernetCost, formatCount, type PathCost } from '../config/cost.ts';
import { FIELDS } from '../config/fields.ts';
import { useStore } from '../store/index.ts';
import { SettingInput } from './SettingInput.tsx';
import { classCountProblem } from '../config/dataClasses.ts';
import { errorMessage } from '../../core/errors.ts';

function CostRow({ name, c }: { name: string; c: PathCost }) {
  return (
    <tr data-testid={`cost-${name}`}>
      <th scope="row">{name}</th>
      <td>{formatCount(c.macs)}</td>
      <td>{formatCount(c.params)}</td>
      <td>{formatCount(c.reference.macs)}</td>
      <td>{formatCount(c.reference.params)}</td>
    </tr>
  );
}

function CostTable({ settings }: { settings: TrainSettings }) {
  const cost = useMemo(() => {
    try {
      return supernetCost(settings);
    } catch (err) {
      return errorMessage(err);
    }
  }, [settings]);
  if (typeof cost === 'string') return <p className="error">{cost}</p>;
  return (
    <table className="cost" data-testid="supernet-cost">
      <caption>
        Single paths of the {cost.layers}-layer supernet (MACs and params, thop convention)
      </caption>
      <thead>
        <tr>
          <th scope="col">path</th>
          <th scope="col">MACs here</th>
          <th scope="col">params here</th>
          <th scope="col">MACs at 224 px / 1000</th>
          <th scope="col">params at 224 px / 1000</th>
        </tr>
      </thead>
      <tbody>
        <CostRow name="largest" c={cost.largest} />
        <CostRow name="smallest" c={cost.smallest} />
      </tbody>
    </table>
  );
}

/** Which data the next run trains on, and what that means for Classes. */
function DataNote({ numClasses }: { numClasses: number }) {
  const selected = useStore((s) => s.dataSelected);
  const problem = classCountProblem(numClasses, selected);
  if (selected === null) {
    return (
      <p className="note" data-testid="supernet-data" data-classes="">
        Data: the built-in synthetic dataset ({numClasses} classes). Load shards or a folder in the Data panel to train on your own.
      </p>
    );
  }
  const n = selected.classIndices.length;
  return (
    <p className={problem === null ? 'note' : 'error'} data-testid="supernet-data" data-classes={n}>
      Data: {selected.name}, {n} classes. {problem ?? (numClasses === n ? `Classes follows the data (${n}); a larger count may be chosen.` : `Classes is ${numClasses}, above the data's ${n} (extra outputs never trained).`)}
    </p>
  );
}

export function SupernetPanel() {
  const preset = useStore((s) => s.preset);
  const settings = useStore((s) => s.settings);
  const urlIssues = useStore((s) => s.urlIssues);
  const setSetting = useStore((s) => s.setSetting);
  const choosePreset = useStore((s) => s.choosePreset);
  const locked = useStore((s) => s.trainState === 'running' || s.trainState === 'paused' || s.trainBusy);
  return (
    <section aria-labelledby="supernet-heading">
      <h2 id="supernet-heading">Supernet</h2>
      {urlIssues.length > 0 && (
        <ul className="issues" aria-label="Invalid URL parameters">
          {urlIssues.map((m) => (
            <li key={m} className="error" data-testid="url-issue">
              {m}
            </li>
          ))}
        </ul>
      )}
      <div className="settings">
        <label htmlFor="setting-preset">
          <span>Preset</span>
          <select
            id="setting-preset"
            data-testid="setting-preset"
            value={preset}
            disabled={locked}
            onChange={(e) => choosePreset(e.target.value as PresetName)}
          >
            {PRESET_NAMES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        {FIELDS.map((f) => (
          <SettingInput key={f.key} field={f} value={settings[f.key]} disabled={locked} onChange={(v) => setSetting(f.key, v as never)} />
        ))}
      </div>
      <p className="note" data-testid="space-role" data-role={getSpace(settings.space).role}>
        Space: {getSpace(settings.space).title}
        {getSpace(settings.space).role === 'demo'
          ? " — the built-in demo, not one of the paper's spaces; the small and paper presets train bnnas-mbv2."
          : getSpace(settings.space).role === 'paper'
            ? " — one of the paper's spaces."
            : ' — for tests, not research.'}
      </p>
      <DataNote numClasses={settings.numClasses} />
      <p className="note">Every setting is in the page URL, so a link reproduces the setup; changes apply at the next start.</p>
      <CostTable settings={settings} />
    </section>
  );
}
