// The always-visible top bar: the lab's name, the backend badge (with the WebGPU adapter), the
// data in use, the run state (step / total, loss, images/s, ETA) and the theme toggle.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/index.ts';
import { applyTheme, effectiveTheme, readTheme, type ThemeChoice } from './theme.ts';
import { useAdapterName } from './useAdapter.ts';
import { backendBadgeText, wasmThreadsWhy } from './backendBadge.ts';
import { duration, isWarming, sig3 } from './readout.ts';
import { useViewHref } from './useView.ts';
import type { ViewName } from './views.ts';

function Link({ view, go, className, children, label, title }: { view: ViewName; go: (v: ViewName) => void; className: string; children: React.ReactNode; label?: string; title?: string }) {
  return (
    <a
      className={className}
      href={useViewHref(view)}
      aria-label={label}
      title={title}
      onClick={(e) => {
        e.preventDefault();
        go(view);
      }}
    >
      {children}
    </a>
  );
}

function Backend({ go }: { go: (v: ViewName) => void }) {
  const s = useStore(
    useShallow((v) => ({ status: v.status, backend: v.backend?.backend ?? null, wasmThreads: v.backend?.wasmThreads, fallbacks: v.backend?.fallbacks.length ?? 0, errors: v.errors.length })),
  );
  const adapter = useAdapterName(s.backend);
  const text = backendBadgeText({ status: s.status, backend: s.backend, adapter, wasmThreads: s.wasmThreads });
  const why = s.status !== 'failed' && s.backend === 'wasm' && s.wasmThreads !== undefined ? wasmThreadsWhy(s.wasmThreads, globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency) : undefined;
  const tone = s.status === 'failed' || s.errors > 0 ? 'bad' : s.status === 'done' ? 'ok' : 'wait';
  return (
    <Link view="engine" go={go} className={`badge badge-${tone}`} label={`Engine: ${text}${s.errors > 0 ? `, ${s.errors} error(s)` : ''}`} title={why}>
      <span className="dot" aria-hidden="true" />
      <span data-testid="topbar-backend">{text}</span>
      {s.fallbacks > 0 && <span className="badge-note"> (fallback)</span>}
      {s.errors > 0 && <span className="badge-count" data-testid="topbar-errors">{s.errors}</span>}
    </Link>
  );
}

function DataInUse({ go }: { go: (v: ViewName) => void }) {
  const d = useStore(useShallow((v) => ({ sel: v.dataSelected, loading: v.dataLoading })));
  const text = d.loading ? 'loading data…' : d.sel === null ? 'synthetic data' : `${d.sel.samples.toLocaleString('en-US')} images, ${d.sel.classIndices.length} classes`;
  // The built-in data trains the demo space; say so next to the badge (the Data view says more).
  const demo = !d.loading && d.sel === null;
  const demoText = "demo: 2-layer net, 4 classes · load shards for the paper's spaces";
  return (
    <Link view="data" go={go} className="badge" label={`Data: ${text}${demo ? ` (${demoText})` : ''}`}>
      <span data-testid="topbar-data">{text}</span>
      {demo && (
        <span className="badge-note" data-testid="topbar-demo" title={`The built-in demo: the 2-layer demo-mbv2 supernet learns 4 synthetic classes in about 100 CPU steps. Load shards (Data view) and pick the small or paper preset to train the paper's spaces.`}>
          {' '}
          ({demoText})
        </span>
      )}
    </Link>
  );
}

function RunState({ go }: { go: (v: ViewName) => void }) {
  const r = useStore(
    useShallow((v) => ({
      state: v.trainState,
      step: v.trainStep,
      total: v.trainTotalSteps,
      loss: v.trainPoints.at(-1)?.loss ?? null,
      ips: v.trainImagesPerSec,
      eta: v.trainEtaSec,
      warmup: v.trainWarmup,
    })),
  );
  if (r.state === 'idle' && r.step === 0) return <span className="runstate muted" data-testid="topbar-run">no run yet</span>;
  return (
    <Link view="train" go={go} className="runstate" label="Training run">
      <span data-testid="topbar-run" data-state={r.state}>
        <b data-testid="topbar-phase">{isWarming(r.state, r.ips) ? (r.warmup ? `warming up ${r.warmup.done}/${r.warmup.total}` : 'warming up') : r.state}</b> step {r.step.toLocaleString('en-US')}/{r.total.toLocaleString('en-US')}
        <span className="sep"> · </span>loss {sig3(r.loss)}
        <span className="sep"> · </span>
        {sig3(r.ips)} img/s
        {r.state === 'running' && (
          <>
            <span className="sep"> · </span>ETA {isWarming(r.state, r.ips) ? 'after warm-up' : duration(r.eta)}
          </>
        )}
      </span>
    </Link>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState<ThemeChoice>(readTheme);
  const next: ThemeChoice = effectiveTheme(theme) === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="ghost theme-toggle"
      data-testid="theme-toggle"
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      {next === 'dark' ? '☾' : '☀'}
    </button>
  );
}

export function TopBar({ go }: { go: (v: ViewName) => void }) {
  return (
    <header className="topbar">
      <h1 className="brand">IsoNAS Lab</h1>
      <div className="topbar-items">
        <Backend go={go} />
        <DataInUse go={go} />
        <RunState go={go} />
      </div>
      <ThemeToggle />
    </header>
  );
}
