// Replaces parameters of the page URL in place (history.replaceState, no navigation), keeping
// every other parameter and the hash: the watch list (`watch=`) and the run comparison
// (`cmpA=` ...) live in the URL beside the setup that useUrlSync writes.
export function replaceQuery(edit: (search: string) => string): void {
  if (typeof window === 'undefined') return;
  const { search, hash, pathname } = window.location;
  const next = edit(search);
  if (next !== search) window.history.replaceState(window.history.state, '', `${pathname}${next}${hash}`);
}

/** `search` with parameter `name` set to `value` (removed when null). */
export function withParam(search: string, name: string, value: string | null): string {
  const q = new URLSearchParams(search);
  if (value === null) q.delete(name);
  else q.set(name, value);
  const s = q.toString();
  return s ? `?${s}` : '';
}
