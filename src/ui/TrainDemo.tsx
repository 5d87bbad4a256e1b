// A first look at BN-only supernet training in the worker: the `tiny` preset on the built-in
// synthetic data, a few steps, with per-step loss and the indicator table at the end. The full
// training panel (charts, controls, persistence) is its own piece of work.
import { useState } from 'react';
import type { TrainDoneEvent, TrainProgressEvent } from '../worker/protocol.ts';
import type { EngineClient } from './engineClient.ts';

const DEMO = { steps: 3, resolution: 16, numClasses: 4, batchSize: 8, sampler: 'uniform', seed: 0 } as const;

export function TrainDemo({ client }: { client: EngineClient | null }) {
  const [running, setRunning] = useState(false);
  const [log, setLog] = useState<TrainProgressEvent[]>([]);
  const [done, setDone] = useState<TrainDoneEvent | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (!client) return;
    setRunning(true);
    setLog([]);
    setDone(null);
    setError(null);
    try {
      setDone(await client.train(DEMO, (ev) => setLog((l) => [...l, ev])));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  const last = log[log.length - 1];
  return (
    <section aria-labelledby="train-heading">
      <h2 id="train-heading">BN-only training (tiny preset, synthetic data)</h2>
      <p>
        {DEMO.steps} steps of bnnas-mbv2 at {DEMO.resolution} px, width 0.25, {DEMO.numClasses} classes, batch {DEMO.batchSize}, {DEMO.sampler} sampler;
        only BatchNorm parameters train.
      </p>
      <button type="button" data-testid="train-start" disabled={!client || running} onClick={start}>
        {running ? 'Training…' : 'Train'}
      </button>
      <dl>
        <dt>Step</dt>
        <dd data-testid="train-step">{last ? last.step + 1 : 0}</dd>
        <dt>Loss per step</dt>
        <dd data-testid="train-log">{log.map((l) => l.loss.toFixed(4)).join(', ')}</dd>
        <dt>Indicators</dt>
        <dd data-testid="train-done" data-backend={done?.backend ?? ''}>
          {done ? `${done.choices.length} layers, ${done.scores.length} scores, mean ${(done.scores.reduce((a, b) => a + b, 0) / done.scores.length).toFixed(4)}` : ''}
        </dd>
      </dl>
      {error !== null && (
        <p role="alert" className="error" data-testid="train-error">
          {error}
        </p>
      )}
    </section>
  );
}
