// Which backends to try, in order: `?backends=webgl,cpu` overrides the default webgpu -> webgl -> wasm
// -> cpu (used by the e2e tests to force a fallback, and handy for comparing backends).

import { DEFAULT_BACKEND_ORDER, isBackendName, type BackendName } from '../worker/protocol/index.ts';

/** `?fusedBn=off` turns fused BN training off (docs/benchmarks.md); absent = the default (on). */
export function fusedBnFromQuery(search: string): 'on' | 'off' | undefined {
  const raw = new URLSearchParams(search).get('fusedBn');
  if (raw === null) return undefined;
  if (raw !== 'on' && raw !== 'off') throw new Error(`?fusedBn= must be on or off, got "${raw}"`);
  return raw;
}

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
