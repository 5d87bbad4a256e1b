// The import boundaries the README states, checked over the real source tree:
// - src/core imports nothing from src/worker, src/ui or src/cli, and no UI library;
// - src/ui reaches the engine only through the worker's protocol files, and uses only plain-data
//   core modules: ones whose whole import closure stays clear of TensorFlow.js;
// - the protocol files themselves use only such plain-data core modules.
// The checker works on a map of file -> import specifiers, so it is tested on made-up trees too.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

type Graph = Map<string, string[]>;

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import specifiers of one source text (static, re-exports, side-effect and dynamic imports). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** A relative specifier resolved to a repository path; bare specifiers (packages) stay as they are. */
function resolve(from: string, spec: string): string {
  return spec.startsWith('.') ? normalize(join(dirname(from), spec)) : spec;
}

const isProtocol = (p: string) => /^src\/worker\/protocol([A-Z][A-Za-z]*)?\.ts$|^src\/worker\/protocol\//.test(p);
const isTf = (p: string) => p.startsWith('@tensorflow/');

/** Whether any file in the import closure of `start` imports TensorFlow.js. */
function reachesTf(graph: Graph, start: string, memo = new Map<string, boolean>()): boolean {
  if (memo.has(start)) return memo.get(start)!;
  memo.set(start, false); // cycles: assume clear until shown otherwise
  const deps = (graph.get(start) ?? []).map((s) => resolve(start, s));
  const hit = deps.some((d) => isTf(d) || (graph.has(d) && reachesTf(graph, d, memo)));
  memo.set(start, hit);
  return hit;
}

/** Every broken boundary as "file -> import: why". */
export function boundaryViolations(graph: Graph): string[] {
  const out: string[] = [];
  const memo = new Map<string, boolean>();
  for (const [file, specs] of graph) {
    for (const spec of specs) {
      const to = resolve(file, spec);
      const say = (why: string) => out.push(`${file} -> ${spec}: ${why}`);
      if (file.startsWith('src/core/')) {
        if (/^src\/(worker|ui|cli)\//.test(to)) say('core must not import worker, UI or CLI code');
        else if (/^(react|react-dom|recharts|zustand)(\/|$)/.test(to)) say('core must not import UI libraries');
      } else if (file.startsWith('src/ui/') || isProtocol(file)) {
        const who = file.startsWith('src/ui/') ? 'the UI' : 'the protocol';
        if (isTf(to)) say(`${who} must not import TensorFlow.js`);
        else if (to.startsWith('src/worker/') && !isProtocol(to) && file.startsWith('src/ui/'))
          say('the UI reaches the worker only through its protocol files');
        else if (to.startsWith('src/cli/')) say(`${who} must not import CLI code`);
        else if (to.startsWith('src/core/') && reachesTf(graph, to, memo))
          say(`${who} may use only plain-data core modules; this one reaches TensorFlow.js`);
      }
    }
  }
  return out;
}

function sourceGraph(root: string): Graph {
  const graph: Graph = new Map();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
        graph.set(relative(root, p), importsOf(readFileSync(p, 'utf8')));
    }
  };
  walk(join(root, 'src'));
  return graph;
}

describe('import boundaries', () => {
  it('reads static, re-export, side-effect and dynamic imports', () => {
    const text = "import a from './a.ts';\nexport { b } from '../b.ts';\nimport './side.css';\nconst c = await import('./c.ts');\nimport type {\n  D,\n} from '@tensorflow/tfjs';";
    expect(importsOf(text)).toEqual(['./a.ts', '../b.ts', './side.css', './c.ts', '@tensorflow/tfjs']);
  });

  it('flags each kind of violation on a made-up tree', () => {
    const g: Graph = new Map([
      ['src/core/a.ts', ['../worker/engine.ts', 'react']],
      ['src/core/tf.ts', ['@tensorflow/tfjs-core']],
      ['src/core/via.ts', ['./tf.ts']],
      ['src/core/plain.ts', ['./plain2.ts']],
      ['src/core/plain2.ts', []],
      ['src/worker/protocol.ts', ['../core/plain.ts', '../core/via.ts']],
      ['src/worker/session.ts', []],
      ['src/ui/App.tsx', ['../worker/protocol.ts', '../worker/session.ts', '../core/via.ts', '../core/plain.ts', '@tensorflow/tfjs']],
    ]);
    expect(boundaryViolations(g)).toEqual([
      'src/core/a.ts -> ../worker/engine.ts: core must not import worker, UI or CLI code',
      'src/core/a.ts -> react: core must not import UI libraries',
      'src/worker/protocol.ts -> ../core/via.ts: the protocol may use only plain-data core modules; this one reaches TensorFlow.js',
      'src/ui/App.tsx -> ../worker/session.ts: the UI reaches the worker only through its protocol files',
      'src/ui/App.tsx -> ../core/via.ts: the UI may use only plain-data core modules; this one reaches TensorFlow.js',
      'src/ui/App.tsx -> @tensorflow/tfjs: the UI must not import TensorFlow.js',
    ]);
  });

  it('holds for the source tree', () => {
    const g = sourceGraph(process.cwd());
    expect(g.size).toBeGreaterThan(100);
    expect(boundaryViolations(g)).toEqual([]);
  });
});
