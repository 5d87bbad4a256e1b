// `--backend wasm|cpu` and `--threads N`, options of every tensor command: taken out of argv
// before the command parses its own options. Backend default: wasm when it initialises, else cpu
// (said on stderr). Threads default: the core count; in Node the engine computes on ONE thread
// whatever is asked (backendThreads in src/core/platform/node.ts says why), and a command's JSON
// reports both (engineInfo).
import { availableParallelism } from 'node:os';
import { NODE_BACKENDS, type NodeBackend, backendThreads, requestThreads, useNodeBackend } from '../core/platform/node.ts';
import { UsageError } from './args.ts';

/** The value of `--name X` / `--name=X` at argv[i], or null when argv[i] is another argument. */
function flagValue(argv: string[], i: number, name: string, hint: string): { value: string; next: number } | null {
  const a = argv[i];
  if (a === `--${name}`) {
    const value = argv[i + 1];
    if (value === undefined) throw new UsageError(`--${name} needs a value (${hint})`);
    return { value, next: i + 1 };
  }
  if (a.startsWith(`--${name}=`)) return { value: a.slice(name.length + 3), next: i };
  return null;
}

/** argv without `--backend X` and `--threads N`; X and N (undefined when absent). */
export function takeBackendFlag(argv: string[]): { argv: string[]; backend?: NodeBackend; threads?: number } {
  const rest: string[] = [];
  let backend: NodeBackend | undefined;
  let threads: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const b = flagValue(argv, i, 'backend', NODE_BACKENDS.join(' or '));
    if (b) {
      if (!(NODE_BACKENDS as readonly string[]).includes(b.value)) throw new UsageError(`--backend "${b.value}" is not one of ${NODE_BACKENDS.join(', ')}`);
      backend = b.value as NodeBackend;
      i = b.next;
      continue;
    }
    const t = flagValue(argv, i, 'threads', 'an integer >= 1');
    if (t) {
      if (!/^[0-9]+$/.test(t.value) || Number(t.value) < 1 || Number(t.value) > 1024) throw new UsageError(`--threads "${t.value}" is not an integer from 1 to 1024`);
      threads = Number(t.value);
      i = t.next;
      continue;
    }
    rest.push(argv[i]);
  }
  return { argv: rest, backend, threads };
}

/**
 * Start the backend for a tensor command. A fallback from the default backend is one line on
 * stderr, and so is an explicit `--threads N` above what the engine can use (one thread in Node).
 */
export async function startBackend(backend: NodeBackend | undefined, command: string, threads?: number): Promise<void> {
  const r = await useNodeBackend(backend);
  if (r.note) process.stderr.write(`isonas ${command}: ${r.note}\n`);
  requestThreads(threads ?? availableParallelism());
  if (threads !== undefined && threads > backendThreads()) {
    process.stderr.write(`isonas ${command}: --threads ${threads}: the ${r.backend} backend computes on ${backendThreads()} thread in Node (docs/engine.md, "Threads")\n`);
  }
}
