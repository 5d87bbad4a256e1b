// Search results kept with a run (RunRecord.search, stored by the worker's search job through
// RunKeeper.saveSearch) are typed where the worker writes them, but a record read back from
// storage is untrusted: IndexedDB may hold a record of an older build, and an imported run file
// comes from elsewhere. Before a stored result goes back to the UI on a resume, this checks that it
// still has the shape of a search result: a result that fails is dropped with the reason, the
// resume goes on. Pure.
import { SPACES } from '../../core/space/spaces.ts';
import { SCORE_RULE_NAMES, type StoredSearch } from '../protocol/index.ts';

export type { StoredSearch };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);

function candidateProblem(c: unknown, layers: number | null): string | null {
  if (!isObj(c)) return 'is not an object';
  if (!Array.isArray(c.arch) || !c.arch.every((x) => Number.isInteger(x))) return 'has no integer arch';
  if (layers !== null && c.arch.length !== layers) return `has ${c.arch.length} layers, the space ${layers}`;
  for (const k of ['fitness', 'macs', 'params'] as const) if (!isNum(c[k])) return `has no numeric ${k}`;
  return null;
}

/** The stored search result, or why it cannot be shown (`{ problem }`); null stays null. */
export function storedSearchOf(json: unknown): StoredSearch | { problem: string } | null {
  if (json === null || json === undefined) return null;
  if (!isObj(json)) return { problem: 'stored search results are not an object' };
  const space = json.space;
  if (typeof space !== 'string' || !(space in SPACES)) return { problem: `stored search results name an unknown space ${JSON.stringify(space)}` };
  if (!SCORE_RULE_NAMES.includes(json.rule as never)) return { problem: `stored search results name an unknown rule ${JSON.stringify(json.rule)}` };
  const layers = SPACES[space as keyof typeof SPACES].layers.length;
  for (const k of ['top', 'pareto', 'history'] as const) if (!Array.isArray(json[k])) return { problem: `stored search results have no ${k} list` };
  for (const k of ['top', 'pareto'] as const) {
    const list = json[k] as unknown[];
    for (let i = 0; i < list.length; i++) {
      const p = candidateProblem(list[i], layers);
      if (p) return { problem: `stored search result ${k}[${i}] ${p}` };
    }
  }
  const argmaxProblem = candidateProblem(json.argmax, layers);
  if (argmaxProblem) return { problem: `stored search result argmax ${argmaxProblem}` };
  for (const k of ['widthMult', 'seed', 'populationSize', 'generations', 'tableStep', 'evaluated'] as const) if (!isNum(json[k])) return { problem: `stored search results have no numeric ${k}` };
  if (!isNumOrNull(json.maxMacs) || !isNumOrNull(json.maxParams)) return { problem: 'stored search results have malformed limits' };
  if (typeof json.stopped !== 'boolean') return { problem: 'stored search results have no stopped flag' };
  return json as unknown as StoredSearch;
}
