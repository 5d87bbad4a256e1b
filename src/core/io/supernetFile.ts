// The supernet as a file for other trainers (docs/scale-out.md): every frozen weight under the
// lab's parameter names in tfjs layout, plus the recipe, the decoded block list and a fingerprint
// of the weights in the safetensors metadata. And the way back: a run file written by the PyTorch
// trainer (python/isonas_torch) is checked against the lab's own rebuild (recipe, blocks,
// fingerprint) and turned into a lab checkpoint, so every consumer of checkpoints opens it.
import type * as tf from '@tensorflow/tfjs-core';
import { validateRecipe, type TrainRecipe } from '../train/recipe.ts';
import { candidateName, Supernet } from '../model/supernet.ts';
import { candidateBlock } from '../space/decode.ts';
import type { BlockSpec } from '../space/types.ts';
import { encodeCheckpoint, crc32, CheckpointError } from '../train/checkpointCodec.ts';
import { decodeSafetensors, encodeSafetensors, looksLikeSafetensors, type SafeTensor } from './safetensors.ts';

export const SUPERNET_FORMAT = 'isonas-supernet-file/1';
export const RUN_FORMAT = 'isonas-run-file/1';
/** How the weights are laid out (PyTorch permutes on load). */
export const WEIGHT_LAYOUT = 'tfjs: conv [k,k,cin,cout], depthwise [k,k,c,1], linear [cin,cout], bias [cout]';

export interface NamedBlock {
  /** Module name: the prefix of its parameter names ("stem", "L3.c2", "fc"). */
  name: string;
  spec: BlockSpec;
}

/** The decoded supernet: what a trainer elsewhere needs to build it with the lab's names. */
export interface SupernetBlocks {
  prefix: NamedBlock[];
  layers: Array<{ layerIdx: number; cin: number; cout: number; stride: number; normal: boolean; choices: number[]; candidates: Array<NamedBlock & { choice: number }> }>;
  suffix: NamedBlock[];
}

export function supernetBlocks(net: Supernet): SupernetBlocks {
  const rs = net.resolved;
  const dropout = net.recipe.dropout;
  return {
    prefix: rs.prefix.map((spec, i) => ({ name: i === 0 ? 'stem' : `fixed${i - 1}`, spec })),
    layers: rs.layers.map((l) => ({
      layerIdx: l.layerIdx,
      cin: l.cin,
      cout: l.cout,
      stride: l.stride,
      normal: l.normal,
      choices: [...l.choices],
      candidates: l.choices.map((choice) => ({ choice, name: candidateName(l.layerIdx, choice), spec: candidateBlock(rs, l.layerIdx, choice) })),
    })),
    suffix: rs.suffix.map((spec) => ({
      name: spec.type === 'conv' ? 'head' : spec.type === 'pool' ? 'pool' : 'fc',
      spec: spec.type === 'linear' && dropout !== null ? { ...spec, dropout } : spec,
    })),
  };
}

/** Frozen weights (and biases) of the net at build time, by name in sorted order, read asynchronously. */
async function frozenWeights(net: Supernet): Promise<Array<{ name: string; shape: number[]; data: Float32Array }>> {
  const names = [...net.weightParams.keys()].sort();
  const out = [];
  for (const name of names) {
    const t = net.weightParams.get(name)!.tensor as tf.Tensor;
    out.push({ name, shape: [...t.shape], data: (await t.data()) as Float32Array });
  }
  return out;
}

/**
 * Fingerprint of the frozen weights: CRC-32 (zlib) over, for each weight in sorted name order,
 * its UTF-8 name, a zero byte and its float32 little-endian bytes; "crc32:<8 hex>:<count>".
 */
export function fingerprintOf(weights: ReadonlyArray<{ name: string; data: Float32Array }>): string {
  let c = 0;
  const sorted = [...weights].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const le = new Uint8Array(4);
  const isLE = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;
  for (const w of sorted) {
    c = crc32(new TextEncoder().encode(`${w.name}\0`), c);
    const bytes = new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength);
    if (isLE) c = crc32(bytes, c);
    else {
      for (let i = 0; i < bytes.length; i += 4) {
        le[0] = bytes[i + 3];
        le[1] = bytes[i + 2];
        le[2] = bytes[i + 1];
        le[3] = bytes[i];
        c = crc32(le, c);
      }
    }
  }
  return `crc32:${c.toString(16).padStart(8, '0')}:${sorted.length}`;
}

/** The supernet file of a recipe: every frozen weight (tfjs layout) plus metadata. */
export async function exportSupernetFile(recipe: TrainRecipe): Promise<Uint8Array> {
  validateRecipe(recipe);
  const net = new Supernet({ ...recipe, mode: 'bn' });
  try {
    const weights = await frozenWeights(net);
    return encodeSafetensors({
      metadata: {
        format: SUPERNET_FORMAT,
        recipe: JSON.stringify(recipe),
        blocks: JSON.stringify(supernetBlocks(net)),
        fingerprint: fingerprintOf(weights),
        layout: WEIGHT_LAYOUT,
        bnEps: '1e-5',
      },
      tensors: weights,
    });
  } finally {
    net.dispose();
  }
}

function refuse(source: string, msg: string): never {
  throw new CheckpointError(`${source}: ${msg}`, 'invalid-content', source);
}

function parseJson(source: string, meta: Record<string, string>, key: string): unknown {
  if (!(key in meta)) refuse(source, `metadata has no "${key}" (not an IsoNAS run file)`);
  try {
    return JSON.parse(meta[key]);
  } catch (e) {
    return refuse(source, `metadata "${key}" is not JSON (${(e as Error).message})`);
  }
}

/** The first place where two JSON values differ, as a path ("layers[3].candidates[1].spec.kernel: 5 vs 3"). */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return JSON.stringify(a) === JSON.stringify(b) ? null : `${path || '(root)'}: ${JSON.stringify(a)} in the file, ${JSON.stringify(b)} in the lab`;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}

export const isRunFile = looksLikeSafetensors;

/**
 * A run file from the PyTorch trainer -> lab checkpoint bytes (the ISONASCK blob every consumer
 * opens). Refused, saying what differs, when the recipe is invalid, the decoded blocks or the
 * frozen-weight fingerprint differ from the lab's rebuild of the recipe.
 */
export async function importRunFile(bytes: Uint8Array, source = 'run file'): Promise<Uint8Array> {
  let content;
  try {
    content = decodeSafetensors(bytes, source);
  } catch (e) {
    return refuse(source, (e as Error).message.replace(`${source}: `, ''));
  }
  const meta = content.metadata;
  if (meta.format !== RUN_FORMAT) refuse(source, `metadata format is ${JSON.stringify(meta.format ?? null)}, expected "${RUN_FORMAT}" (a run file of isonas_torch.train)`);
  const recipe = parseJson(source, meta, 'recipe') as TrainRecipe;
  try {
    validateRecipe(recipe);
  } catch (e) {
    refuse(source, (e as Error).message);
  }
  const step = Number(meta.step);
  if (!Number.isSafeInteger(step) || step < 0) refuse(source, `metadata step ${JSON.stringify(meta.step)} is not a non-negative integer`);
  const samplerRng = parseJson(source, meta, 'samplerRng');
  if (!Array.isArray(samplerRng) || samplerRng.length !== 6) refuse(source, 'metadata samplerRng is not a 6-number RNG state');
  const fileBlocks = parseJson(source, meta, 'blocks');
  const net = new Supernet({ ...recipe, mode: 'bn' });
  try {
    const diff = firstDifference(fileBlocks, JSON.parse(JSON.stringify(supernetBlocks(net))));
    if (diff) refuse(source, `its recipe does not rebuild the lab's supernet: blocks differ at ${diff}`);
    const lab = fingerprintOf(await frozenWeights(net));
    if (meta.fingerprint !== lab) {
      refuse(source, `frozen-weight fingerprint ${JSON.stringify(meta.fingerprint ?? null)} differs from the lab's rebuild ${lab} of its recipe (space ${recipe.space}, init ${recipe.init}, seed ${recipe.seed}): trained on other frozen weights`);
    }
  } finally {
    net.dispose();
  }
  const tensors: SafeTensor[] = content.tensors;
  return encodeCheckpoint({ meta: { kind: 'isonas-supernet', recipe, step, samplerRng }, tensors });
}
