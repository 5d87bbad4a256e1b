// Which backends to try, in order: `?backends=webgl,cpu` overrides the default webgpu -> webgl -> wasm
// -> cpu (used by the e2e tests to force a fallback, and handy for comparing backends).

import { DEFAULT_BACKEND_ORDER, isBackendName, type BackendName } from '../worker/protocol.ts';

export function backendOrderFromQuery(search: string): BackendName[] {
  const raw = new URLSearchParams(search).get('backends');
  if (raw === null || raw.trim() === '') return [...DEFAULT_BACKEND_ORDER];
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = names.filter((s) => !isBackendName(s));
  if (bad.length > 0) {
    throw new Error(`unknown backend(s) in ?backends=: ${bad.join(', ')} (known: ${DEFAULT_BACKEND_ORDER.join(', ')})`);
  }
  return names.filter(isBackendName);
}
