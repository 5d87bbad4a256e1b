// Engine panel: status, the selected backend (and why earlier ones were skipped), the smoke
// check's numbers, and every reported error.
import type { BackendChoice, SmokeResultEvent } from '../../worker/protocol/index.ts';
import { useStore } from '../store/index.ts';
import { wasmThreadsWhy } from '../shell/backendBadge.ts';

export function backendLabel(choice: BackendChoice): string {
  if (choice.fallbacks.length === 0) return choice.backend;
  const why = choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  return `${choice.backend} (fell back from ${why})`;
}

function smokeJson(r: SmokeResultEvent): string {
  return JSON.stringify({ backend: r.backend, outShape: r.outShape, mean: Array.from(r.mean), variance: Array.from(r.variance) });
}

export function EnginePanel() {
  const status = useStore((s) => s.status);
  const choice = useStore((s) => s.backend);
  const smoke = useStore((s) => s.smoke);
  const errors = useStore((s) => s.errors);
  return (
    <section aria-labelledby="engine-heading">
      <h2 id="engine-heading">Engine</h2>
      <dl>
        <dt>Status</dt>
        <dd data-testid="status">{status}</dd>
        <dt>Backend</dt>
        <dd data-testid="backend-label" data-backend={choice?.backend ?? ''}>
          {choice === null ? 'selecting…' : backendLabel(choice)}
        </dd>
        {choice?.backend === 'wasm' && choice.wasmThreads !== undefined && (
          <>
            <dt>Threads</dt>
            <dd data-testid="engine-threads">{wasmThreadsWhy(choice.wasmThreads, globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency)}</dd>
          </>
        )}
        <dt>Smoke test</dt>
        <dd>
          {smoke === null ? 'running…' : 'ran: a small conv layer on the backend (raw output below)'}
          <details className="smoke-details">
            <summary>Raw result</summary>
            <code data-testid="smoke-result">{smoke === null ? '' : smokeJson(smoke)}</code>
          </details>
        </dd>
      </dl>
      {errors.map((m, i) => (
        <p key={i} role="alert" className="error" data-testid="engine-error">
          {m}
        </p>
      ))}
    </section>
  );
}
