// The benchmark page: starts the worker with the query's parameters, shows its progress, and
// hands the worker's final reply to the Node runner through window.__benchDone (exposed by
// Playwright). The page does no tensor work itself, as in the app.
import { paramsFromQuery, type WorkerReply } from './protocol.ts';
import { errorMessage } from '../../src/core/errors.ts';

declare global {
  interface Window {
    __benchDone?: (reply: string) => void;
  }
}

const log = document.getElementById('log') as HTMLPreElement;
const finish = (reply: WorkerReply): void => {
  log.textContent = reply.type === 'error' ? `error: ${reply.message}` : 'done';
  window.__benchDone?.(JSON.stringify(reply));
};

try {
  const params = paramsFromQuery(location.search);
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerReply>) => {
    const r = e.data;
    if (r.type === 'progress') {
      log.textContent = r.text;
      console.log(`bench:progress ${r.text}`);
    } else finish(r);
  };
  worker.onerror = (e) => finish({ type: 'error', message: `worker error: ${e.message}` });
  worker.postMessage(params);
} catch (e) {
  finish({ type: 'error', message: errorMessage(e) });
}
