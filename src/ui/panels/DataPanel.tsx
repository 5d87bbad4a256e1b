// Data panel: pick files or a folder, or drop them; the reading progress, samples per class,
// skipped samples with their reasons, a grid of decoded samples, and which data the next Start
// trains on (the built-in synthetic data until a load selects some).
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { DataThumbnail } from '../../worker/protocol/index.ts';
import { numberText } from '../config/numberText.ts';
import { formatInt } from '../format/numbers.ts';
import { describeSplit } from '../data/describeSplit.ts';
import { classNameOf } from '../data/classNames.ts';
import { filesFromDrop, filesFromInput } from '../data/pickFiles.ts';
import { topClasses } from '../store/dataReducers.ts';
import { useStore } from '../store/index.ts';
import { CheckedInput } from './CheckedInput.tsx';
import { BlockedReason, PanelError } from './PanelError.tsx';

const FRACTION_TEXT = numberText({ min: 0, max: 1, maxExclusive: true, integer: false });

const CLASSES_SHOWN = 20;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function Thumbnail({ t }: { t: DataThumbnail }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) ctx.putImageData(new ImageData(t.rgba as Uint8ClampedArray<ArrayBuffer>, t.width, t.height), 0, 0);
  }, [t]);
  const p = useStore((s) => s.dataProgress);
  const tick = useStore((s) => s.dataImagenetTick);
  const cls = classNameOf(t.classIndex, { folderClassNames: p?.folderClassNames ?? null, synsetLabels: p?.synsetLabels ?? false }, tick);
  const title = `${t.file} / ${t.key}: ${cls}`;
  return <canvas ref={ref} width={t.width} height={t.height} title={title} data-testid="data-sample" className="data-thumb" />;
}

function Pickers() {
  const ready = useStore((s) => s.status === 'done');
  const queued = useStore((s) => s.dataQueued);
  const fractionBad = useStore((s) => s.fieldErrors['data-val-fraction'] ?? null);
  const loadData = useStore((s) => s.loadData);
  const cache = useStore((s) => s.dataCache);
  const setDataCache = useStore((s) => s.setDataCache);
  const valFraction = useStore((s) => s.dataValFraction);
  const setValFraction = useStore((s) => s.setDataValFraction);
  const imagenetTick = useStore((s) => s.dataImagenetTick);
  const setImagenetTick = useStore((s) => s.setDataImagenetTick);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    filesFromDrop(e.dataTransfer).then(loadData, (err: unknown) => useStore.getState().failIn('data', err));
  };
  return (
    <div
      className={`data-drop${over ? ' over' : ''}`}
      data-testid="data-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>Drop shards (WebDataset tar / tar.gz, TFRecord, parquet) or an ImageFolder directory here, or</p>
      <label>
        Pick files{' '}
        <input type="file" multiple disabled={fractionBad !== null} data-testid="data-file-input" onChange={(e) => {
          void loadData(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }} />
      </label>{' '}
      <label>
        Pick a folder{' '}
        <input
          type="file"
          multiple
          disabled={fractionBad !== null}
          data-testid="data-folder-input"
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            void loadData(filesFromInput(e.currentTarget.files));
            e.currentTarget.value = '';
          }}
        />
      </label>
      <p>
        <label>
          <input type="checkbox" data-testid="data-cache" checked={cache} onChange={(e) => setDataCache(e.currentTarget.checked)} /> Cache
          decoded images in this browser (Origin Private File System) so later epochs skip decoding; applies to the next
          load
        </label>
      </p>
      <p className="note">
        Validation: files with val, valid or validation in their path are the validation set; when there are none, a
        fraction of the samples is held out by key hash (0 = none). Applies to the next load.
      </p>
      <p>
        <label htmlFor="data-imagenet-tick">
          <input type="checkbox" id="data-imagenet-tick" data-testid="data-imagenet-tick" checked={imagenetTick} onChange={(e) => setImagenetTick(e.currentTarget.checked)} /> Labels
          are ImageNet class indices (0..999, sorted synsets): show ImageNet names. Data that names synsets (shard members,
          file or folder names) is taken as ImageNet without this.
        </label>
      </p>
      <div className="settings">
        <CheckedInput id="data-val-fraction" label="Held-out fraction" value={valFraction} parse={FRACTION_TEXT} onChange={setValFraction} />
      </div>
      <BlockedReason reason={fractionBad} testId="data-blocked" />
      {queued !== null && !ready && (
        <p className="note" data-testid="data-queued">
          {queued.length} file{queued.length === 1 ? '' : 's'} waiting: they are read as soon as the engine is ready.
        </p>
      )}
      <PanelError panel="data" />
    </div>
  );
}

function Selected() {
  const selected = useStore((s) => s.dataSelected);
  const note = useStore((s) => s.dataNote);
  const clearData = useStore((s) => s.clearData);
  return (
    <>
      <p>
        Training data: <strong data-testid="data-selected">{selected === null ? 'synthetic (built in)' : selected.name}</strong>
        {selected !== null && (
          <>
            {' '}
            — {formatInt(selected.samples)} samples, {selected.classIndices.length} classes (the supernet's class count follows the data: at least{' '}
            {selected.classIndices.length}){' '}
            <button type="button" data-testid="data-clear" onClick={() => void clearData()}>
              Use the synthetic data
            </button>
          </>
        )}
      </p>
      {selected === null && (
        <p className="note" data-testid="demo-note">
          The demo: by default a 2-layer MobileNetV2 supernet (demo-mbv2) learns 4 classes of coloured gratings in about 100 CPU
          steps. Load shards and pick the small or paper preset to train the paper&apos;s spaces.
        </p>
      )}
      {selected !== null && (
        <p className="note" data-testid="data-split" data-split={selected.split.kind}>
          {describeSplit(selected.split)}
        </p>
      )}
      {note !== null && <p className="note" data-testid="data-note">Nothing new selected: {note}</p>}
    </>
  );
}

function Progress() {
  const p = useStore((s) => s.dataProgress);
  const loading = useStore((s) => s.dataLoading);
  if (p === null) return loading ? <p className="note">Starting to read…</p> : null;
  return (
    <div>
      <progress className="data-progress" data-testid="data-progress" value={p.bytesRead} max={Math.max(1, p.bytesTotal)} />
      <p className="note" data-testid="data-progress-text">
        {loading ? 'Reading' : 'Read'} {p.filesDone} of {p.filesTotal} files ({bytes(p.bytesRead)} of {bytes(p.bytesTotal)})
        {p.currentFile !== null && loading ? `, now ${p.currentFile}` : ''}: {p.samples} samples, {p.skipped} skipped,{' '}
        {p.decoded} decoded ({p.decodePerSec.toFixed(0)} images/s)
      </p>
    </div>
  );
}

function Classes() {
  const selected = useStore((s) => s.dataSelected);
  const p = useStore((s) => s.dataProgress);
  const loading = useStore((s) => s.dataLoading);
  const tick = useStore((s) => s.dataImagenetTick);
  let rows: { name: string; n: number }[];
  let total: number;
  if (!loading && selected !== null) {
    // a folder's names and declared synsets are in classNames; the tick renames numeric labels
    const named = (k: number) => (tick && !selected.synsetLabels ? classNameOf(selected.classIndices[k], { folderClassNames: null, synsetLabels: true }, true) : selected.classNames[k]);
    const all = selected.classIndices.map((_, k) => ({ name: named(k), n: selected.classCounts[k] }));
    rows = [...all].sort((a, b) => b.n - a.n).slice(0, CLASSES_SHOWN);
    total = all.length;
  } else if (p !== null) {
    const top = topClasses(p.perClass, CLASSES_SHOWN);
    rows = top.map(({ classIndex, n }) => ({ name: classNameOf(classIndex, p, tick), n }));
    total = topClasses(p.perClass, Infinity).length;
  } else return null;
  if (rows.length === 0) return null;
  return (
    <table className="cost" data-testid="data-classes" data-classes={total} data-names={rows.map((r) => r.name).join('|')}>
      <caption>
        Samples per class{total > rows.length ? ` (the ${rows.length} largest of ${total})` : ''}
      </caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            <td>{r.n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Issues() {
  const issues = useStore((s) => s.dataIssues);
  const count = useStore((s) => s.dataIssueCount);
  if (count === 0) return null;
  return (
    <div>
      <h3>Skipped ({count} issue{count === 1 ? '' : 's'})</h3>
      <ul className="data-issues">
        {issues.map((i, k) => (
          <li key={k} className="error" data-testid="data-error" data-code={i.code}>
            {i.reason}
          </li>
        ))}
      </ul>
      {count > issues.length && <p className="note">…and {count - issues.length} more.</p>}
    </div>
  );
}

export function DataPanel() {
  const thumbs = useStore((s) => s.dataThumbnails);
  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <Selected />
      <Pickers />
      <Progress />
      <Classes />
      <Issues />
      {thumbs.length > 0 && (
        <div className="data-grid" data-testid="data-samples">
          {thumbs.map((t, k) => (
            <Thumbnail key={k} t={t} />
          ))}
        </div>
      )}
    </section>
  );
}
