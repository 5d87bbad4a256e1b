import { useEffect, useState } from 'react';
import type { BackendChoice, SmokeResultEvent } from '../worker/protocol.ts';
import { backendOrderFromQuery } from './backendOrder.ts';
import { EngineClient } from './engineClient.ts';
import { TrainDemo } from './TrainDemo.tsx';

type Phase = 'starting' | 'smoke' | 'done' | 'failed';

function backendLabel(choice: BackendChoice): string {
  if (choice.fallbacks.length === 0) return choice.backend;
  const why = choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ');
  return `${choice.backend} (fell back from ${why})`;
}

function smokeJson(r: SmokeResultEvent): string {
  return JSON.stringify({
    backend: r.backend,
    outShape: r.outShape,
    mean: Array.from(r.mean),
    variance: Array.from(r.variance),
  });
}

export function App() {
  const [phase, setPhase] = useState<Phase>('starting');
  const [choice, setChoice] = useState<BackendChoice | null>(null);
  const [smoke, setSmoke] = useState<SmokeResultEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [engine, setEngine] = useState<EngineClient | null>(null);

  useEffect(() => {
    let live = true;
    const fail = (message: string) => {
      if (!live) return;
      setError(message);
      setPhase('failed');
    };
    let client: EngineClient | null = null;
    (async () => {
      const order = backendOrderFromQuery(window.location.search);
      client = new EngineClient(fail);
      const ready = await client.init(order);
      if (!live) return;
      setChoice(ready);
      setPhase('smoke');
      const result = await client.smoke();
      if (!live) return;
      setSmoke(result);
      setPhase('done');
      setEngine(client);
    })().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
      client?.terminate();
    };
  }, []);

  return (
    <main>
      <h1>IsoNAS Lab</h1>
      <p className="lede">
        An in-browser lab for <em>Dynamical Isometry based Rigorous Fair NAS</em>: a weight-sharing
        supernet whose candidate blocks are initialised for dynamical isometry and trained with
        rigorously fair path sampling, so every candidate operation is scored on equal terms before
        the search ranks architectures. All tensor work runs in a Web Worker on TensorFlow.js
        (WebGPU where the browser offers it).
      </p>

      <section aria-labelledby="engine-heading">
        <h2 id="engine-heading">Engine</h2>
        <dl>
          <dt>Status</dt>
          <dd data-testid="status">{phase}</dd>
          <dt>Backend</dt>
          <dd data-testid="backend-label" data-backend={choice?.backend ?? ''}>
            {choice === null ? 'selecting…' : backendLabel(choice)}
          </dd>
          <dt>Smoke test</dt>
          <dd>
            <code data-testid="smoke-result">{smoke === null ? '' : smokeJson(smoke)}</code>
          </dd>
        </dl>
        {error !== null && (
          <p role="alert" className="error" data-testid="engine-error">
            {error}
          </p>
        )}
      </section>
      <TrainDemo client={engine} />
    </main>
  );
}
