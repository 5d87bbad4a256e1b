// Turns (space, config) into a resolved supernet skeleton, and (resolved space, architecture)
// into the plain BlockSpec list of the standalone network. The only place that applies the width
// multiplier, threads channel counts and spatial sizes, and decides which layers are "normal".

import { convOutputSize } from './spatial';
import { LIMITS } from '../limits.ts';
import type { Arch, BlockSpec, ResolvedLayer, ResolvedSpace, SpaceConfig, SpaceDef } from './types';
import { IDENTITY, REFERENCE_CONFIG } from './types';
import { MBV2_DIVISOR, SHUFFLE_STAGE_DIVISOR, SHUFFLE_STEM_DIVISOR, scaleChannels, scaleHeadChannels } from './width';

/** 224 px, width 1.0, 1000 classes, identity candidate on. */
export function defaultConfig(_space: SpaceDef): SpaceConfig {
  return { ...REFERENCE_CONFIG, identity: true };
}

/** Throws an Error naming the offending field when `config` is not usable. */
export function validateConfig(config: SpaceConfig): void {
  if (config === null || typeof config !== 'object') throw new Error('config must be an object');
  const { resolution, widthMult, numClasses, identity } = config;
  if (typeof resolution !== 'number' || !Number.isInteger(resolution) || resolution < 8) {
    throw new Error(`config.resolution must be an integer >= 8 (pixels), got ${String(resolution)}`);
  }
  if (typeof widthMult !== 'number' || !Number.isFinite(widthMult) || widthMult <= 0) {
    throw new Error(`config.widthMult must be a finite number > 0, got ${String(widthMult)}`);
  }
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`config.numClasses must be an integer >= 2, got ${String(numClasses)}`);
  }
  if (typeof identity !== 'boolean') throw new Error(`config.identity must be a boolean, got ${String(identity)}`);
  // The limits (src/core/limits.ts): nothing larger is ever resolved or built.
  for (const [field, value, r] of [['resolution', resolution, LIMITS.resolution], ['widthMult', widthMult, LIMITS.widthMult], ['numClasses', numClasses, LIMITS.numClasses]] as const) {
    if (value < r.min || value > r.max) throw new Error(`config.${field} ${value} is outside the limit ${r.min}..${r.max} (LIMITS.${field})`);
  }
}

/**
 * Resolves channels (width multiplier), strides, input sizes, `normal` and the choices of every
 * searchable layer. `normal` is structural: stride 1 and cin = cout in the space's width-1.0
 * table (so the set of valid architectures never depends on the width multiplier).
 */
export function resolveSpace(space: SpaceDef, config: SpaceConfig): ResolvedSpace {
  validateConfig(config);
  if (space.layers.length === 0) throw new Error(`space ${space.id} has no searchable layers`);
  if (space.candidates.length === 0) throw new Error(`space ${space.id} has no candidates`);
  const w = config.widthMult;
  const mbv2 = space.family === 'mbv2';
  const stemDivisor = mbv2 ? MBV2_DIVISOR : SHUFFLE_STEM_DIVISOR;
  const layerDivisor = mbv2 ? MBV2_DIVISOR : SHUFFLE_STAGE_DIVISOR;

  const prefix: BlockSpec[] = [];
  let size = config.resolution;
  const stemCout = scaleChannels(space.stem.cout, w, stemDivisor);
  prefix.push({ type: 'conv', cin: 3, cout: stemCout, kernel: space.stem.kernel, stride: space.stem.stride, act: space.stem.act });
  size = convOutputSize(size, space.stem.kernel, space.stem.stride);
  let cin = stemCout;
  let tableCin = space.stem.cout;
  for (const f of space.fixed) {
    const cout = scaleChannels(f.cout, w, MBV2_DIVISOR);
    prefix.push({ type: 'ir', cin, cout, kernel: f.kernel, stride: f.stride, expand: f.expand, act: f.act });
    size = convOutputSize(size, f.kernel, f.stride);
    cin = cout;
    tableCin = f.cout;
  }

  const numChoices = space.candidates.length;
  const ops = Array.from({ length: numChoices }, (_, c) => c);
  const layers: ResolvedLayer[] = space.layers.map((l, layerIdx) => {
    const cout = scaleChannels(l.cout, w, layerDivisor);
    const normal = l.stride === 1 && tableCin === l.cout && cin === cout;
    if (!mbv2) checkShuffleLayer(space, w, layerIdx, cin, cout, l.stride);
    const layer: ResolvedLayer = {
      layerIdx,
      cin,
      cout,
      stride: l.stride,
      normal,
      choices: normal && config.identity ? [IDENTITY, ...ops] : [...ops],
      inputSize: size,
    };
    size = convOutputSize(size, 3, l.stride);
    cin = cout;
    tableCin = l.cout;
    return layer;
  });

  const headCout = scaleHeadChannels(space.head.cout, w);
  const suffix: BlockSpec[] = [
    { type: 'conv', cin, cout: headCout, kernel: 1, stride: 1, act: space.head.act },
    { type: 'pool', channels: headCout },
    { type: 'linear', cin: headCout, cout: config.numClasses, bias: space.classifierBias, dropout: space.dropout },
  ];
  return { space, config: { ...config }, prefix, layers, suffix };
}

/** A ShuffleNetV2 block needs an even split, mid = cout / 2, and channels left for its main branch. */
function checkShuffleLayer(space: SpaceDef, w: number, layerIdx: number, cin: number, cout: number, stride: 1 | 2): void {
  const inp = stride === 2 ? cin : cin / 2;
  const ok = cout % 2 === 0 && (stride === 2 || cin % 4 === 0) && cout - inp > 0;
  if (!ok) {
    throw new Error(
      `widthMult ${w} does not fit ${space.id}: layer ${layerIdx} (stride ${stride}, ${cin} -> ${cout} channels) ` +
        'leaves no valid main branch (needs cout even, cin divisible by 4 at stride 1, and cout > branch input)',
    );
  }
}

/** Throws (naming the layer) unless `choice` is a valid choice of layer `layerIdx`. */
export function checkChoice(rs: ResolvedSpace, layerIdx: number, choice: number): void {
  const layer = rs.layers[layerIdx];
  if (!layer) throw new Error(`layer ${layerIdx} does not exist; ${rs.space.id} has layers 0..${rs.layers.length - 1}`);
  if (typeof choice !== 'number' || !Number.isInteger(choice)) {
    const shown = typeof choice === 'number' ? String(choice) : JSON.stringify(choice);
    throw new Error(`layer ${layerIdx}: choice ${shown} is not an integer`);
  }
  const maxChoice = rs.space.candidates.length - 1;
  if (choice === IDENTITY) {
    if (!rs.config.identity) {
      throw new Error(`layer ${layerIdx}: identity (-1) is not allowed: the identity candidate is off in this config (identity = false)`);
    }
    if (!layer.normal) {
      throw new Error(`layer ${layerIdx}: identity (-1) is not allowed on a reduction layer (stride 2 or cin != cout)`);
    }
    return;
  }
  if (choice < 0 || choice > maxChoice) {
    const minChoice = rs.config.identity ? IDENTITY : 0;
    throw new Error(`layer ${layerIdx}: choice ${choice} out of range ${minChoice}..${maxChoice}`);
  }
}

/** The block that choice `choice` (-1 = identity) puts in layer `layerIdx`. Validates the choice. */
export function candidateBlock(rs: ResolvedSpace, layerIdx: number, choice: number): BlockSpec {
  checkChoice(rs, layerIdx, choice);
  const { cin, cout, stride } = rs.layers[layerIdx];
  if (choice === IDENTITY) return { type: 'identity', channels: cin };
  const op = rs.space.candidates[choice];
  switch (op.kind) {
    case 'ir':
      return { type: 'ir', cin, cout, kernel: op.kernel, stride, expand: op.expand, act: rs.space.blockAct };
    case 'shuffle':
      return { type: 'shuffle', cin, cout, kernel: op.kernel, stride, mid: cout / 2 };
    case 'xception':
      return { type: 'xception', cin, cout, stride, mid: cout / 2 };
    default: {
      const never: never = op;
      throw new Error(`unknown candidate ${JSON.stringify(never)}`);
    }
  }
}

/** Throws unless `arch` has one valid choice per searchable layer; errors name the layer. */
export function validateArch(rs: ResolvedSpace, arch: Arch): void {
  if (!Array.isArray(arch)) throw new Error(`architecture must be an array of choice indices, got ${typeof arch}`);
  if (arch.length !== rs.layers.length) {
    throw new Error(`architecture has ${arch.length} choices; ${rs.space.id} has ${rs.layers.length} searchable layers`);
  }
  arch.forEach((choice, layerIdx) => checkChoice(rs, layerIdx, choice));
}

/**
 * The full standalone network of `arch`: prefix (stem, fixed blocks), one block per searchable
 * layer (identity layers as `identity` blocks, which cost nothing), suffix (head, pool, linear).
 */
export function decodeArch(rs: ResolvedSpace, arch: Arch): BlockSpec[] {
  validateArch(rs, arch);
  return [
    ...rs.prefix.map((b) => ({ ...b })),
    ...arch.map((choice, layerIdx) => candidateBlock(rs, layerIdx, choice)),
    ...rs.suffix.map((b) => ({ ...b })),
  ];
}

/**
 * Parses "3,-1,0,..." (also "[3, -1, 0]", "(2, 1, 0)" or whitespace-separated) into an Arch.
 * Does not check it against a space: use validateArch / decodeArch for that.
 */
export function parseArch(text: string): Arch {
  if (typeof text !== 'string') throw new Error('architecture text must be a string');
  const body = text.trim().replace(/^[[(]/, '').replace(/[\])]$/, '').trim();
  if (body === '') throw new Error('architecture is empty: expected comma-separated choice indices such as "3,-1,0"');
  const items = body.split(/\s*,\s*|\s+/);
  return items.map((item, i) => {
    if (item === '') throw new Error(`architecture item ${i} is empty (stray comma?) in "${text.trim()}"`);
    if (!/^[+-]?\d+$/.test(item)) throw new Error(`architecture item ${i} ("${item}") is not an integer`);
    return Number(item);
  });
}

/** "3,-1,0,..." : the form parseArch reads. */
export function formatArch(arch: Arch): string {
  return arch.join(',');
}

/** Human label of a choice: 'identity' for -1, else the candidate's label (e.g. 'k5e6'). */
export function choiceLabel(space: SpaceDef, choice: number): string {
  if (choice === IDENTITY) return 'identity';
  const op = space.candidates[choice];
  if (!op) throw new Error(`choice ${choice} out of range -1..${space.candidates.length - 1} for ${space.id}`);
  return op.label;
}
