// The watch list of live isometry: which (layer, candidate) modules have their spectra analysed
// while the supernet trains (docs/isometry.md, "Live watching"). A compact text form for the URL
// and the CLI's --watch, parsed and checked here; pure (no tensors, no DOM), so the UI, the worker
// and the CLI share it.
//
// Grammar (spaces ignored):
//   list   := "default" | "none" | "" (= default) | group (";" group)*
//   group  := layers [":" choices]          every listed layer with the listed candidates
//   layers := uint ("," uint)*              searchable layers, 0-based
//   choices:= int ("," int)*                candidate indices, -1 = the identity candidate
// A group without ":" watches every candidate of its layers, identity included.
// Examples: "3,10,17" (every candidate of layers 3, 10 and 17); "3:0,1,-1;10" (candidates 0, 1
// and the identity of layer 3, every candidate of layer 10).

export interface WatchGroup {
  /** Searchable layers, 0-based, ascending, no repeats. */
  layers: number[];
  /** Candidates of each layer (-1 = identity), in the order given; null = every candidate. */
  choices: number[] | null;
}

/** A parsed list: the default list of the space, or explicit groups ([] = watch nothing). */
export type WatchList = 'default' | WatchGroup[];

/** One watched module. */
export interface WatchKey {
  layer: number;
  choice: number;
}

const INT = /^-?\d+$/;

function ints(text: string, what: string, min: number, whole: string): number[] {
  const parts = text.split(',');
  return parts.map((p) => {
    if (!INT.test(p)) throw new Error(`watch list "${whole}": ${what} "${p}" is not an integer`);
    const n = Number(p);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`watch list "${whole}": ${what} ${p} must be an integer >= ${min}`);
    return n;
  });
}

/** Parses the text form; throws an Error naming the list and the bad part. */
export function parseWatchList(text: string): WatchList {
  const whole = text;
  const t = text.replace(/\s+/g, '');
  if (t === '' || t === 'default') return 'default';
  if (t === 'none') return [];
  return t.split(';').map((g) => {
    if (g === '') throw new Error(`watch list "${whole}": empty group (two ";" in a row, or one at an end)`);
    const colon = g.indexOf(':');
    const layerText = colon < 0 ? g : g.slice(0, colon);
    const layers = [...new Set(ints(layerText, 'layer', 0, whole))].sort((a, b) => a - b);
    if (colon < 0) return { layers, choices: null };
    const choices = [...new Set(ints(g.slice(colon + 1), 'candidate', -1, whole))];
    return { layers, choices };
  });
}

/** The canonical text of a list (parseWatchList(formatWatchList(l)) equals l). */
export function formatWatchList(list: WatchList): string {
  if (list === 'default') return 'default';
  if (list.length === 0) return 'none';
  return list.map((g) => (g.choices === null ? g.layers.join(',') : `${g.layers.join(',')}:${g.choices.join(',')}`)).join(';');
}

/**
 * The default watched layers of a space with `numLayers` searchable layers: three layers spread
 * over the depth, floor(n (2k + 1) / 6) for k = 0, 1, 2 (the middles of the three thirds; for 21
 * layers 3, 10, 17), fewer when the space is that shallow (repeats dropped).
 */
export function defaultWatchLayers(numLayers: number): number[] {
  if (!Number.isInteger(numLayers) || numLayers < 1) return [];
  return [...new Set([0, 1, 2].map((k) => Math.floor((numLayers * (2 * k + 1)) / 6)))];
}

/**
 * The modules a list watches in a supernet whose layer l offers `choices[l]` (the order of the
 * indicator table, as `built.choices`): layer ascending, then the layer's own candidate order,
 * each module once. Throws, naming the list, when a layer is out of range or a candidate is not
 * offered by its layer.
 */
export function resolveWatchList(list: WatchList, choices: readonly (readonly number[])[]): WatchKey[] {
  const n = choices.length;
  const groups: WatchGroup[] = list === 'default' ? [{ layers: defaultWatchLayers(n), choices: null }] : list;
  const wanted = new Map<number, Set<number>>();
  for (const g of groups) {
    for (const l of g.layers) {
      if (l >= n) throw new Error(`watch list "${formatWatchList(list)}": layer ${l} is not in 0..${n - 1}`);
      const offered = choices[l];
      const set = wanted.get(l) ?? new Set<number>();
      for (const c of g.choices ?? offered) {
        if (!offered.includes(c)) throw new Error(`watch list "${formatWatchList(list)}": layer ${l} has no candidate ${c} (candidates ${offered.join(',')})`);
        set.add(c);
      }
      wanted.set(l, set);
    }
  }
  const out: WatchKey[] = [];
  for (const l of [...wanted.keys()].sort((a, b) => a - b)) for (const c of choices[l]) if (wanted.get(l)?.has(c)) out.push({ layer: l, choice: c });
  return out;
}

/** What is wrong with a list's text (for a supernet's `choices` when given), or null when it is fine. */
export function watchListProblem(text: string, choices?: readonly (readonly number[])[]): string | null {
  try {
    const list = parseWatchList(text);
    if (choices) resolveWatchList(list, choices);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
