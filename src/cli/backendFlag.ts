// `--backend wasm|cpu`, an option of every tensor command: taken out of argv before the command
// parses its own options. Default: wasm when it initialises, else cpu (said on stderr).
import { NODE_BACKENDS, type NodeBackend, useNodeBackend } from '../core/platform/node.ts';
import { UsageError } from './args.ts';

/** argv without `--backend X` / `--backend=X`, and X (undefined when absent). */
export function takeBackendFlag(argv: string[]): { argv: string[]; backend?: NodeBackend } {
  const rest: string[] = [];
  let backend: NodeBackend | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === '--backend') {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--backend needs a value (${NODE_BACKENDS.join(' or ')})`);
    } else if (a.startsWith('--backend=')) {
      value = a.slice('--backend='.length);
    } else {
      rest.push(a);
      continue;
    }
    if (!(NODE_BACKENDS as readonly string[]).includes(value)) throw new UsageError(`--backend "${value}" is not one of ${NODE_BACKENDS.join(', ')}`);
    backend = value as NodeBackend;
  }
  return { argv: rest, backend };
}

/** Start the backend for a tensor command; a fallback from the default is one line on stderr. */
export async function startBackend(backend: NodeBackend | undefined, command: string): Promise<void> {
  const r = await useNodeBackend(backend);
  if (r.note) process.stderr.write(`isonas ${command}: ${r.note}\n`);
}
