// `export-supernet`: the supernet of a recipe as a safetensors file for other trainers (every
// frozen weight under the lab's names, recipe, decoded blocks and fingerprint in the metadata);
// `export-data`: the built-in synthetic data as an ImageFolder or WebDataset shards, so a trainer
// elsewhere (python/isonas_torch) reads the same images. docs/scale-out.md.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { PRESETS, type PresetName } from '../../core/train/recipe.ts';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../core/data/pipeline/augment.ts';
import { DEFAULT_SYNTHETIC, syntheticSample, type SyntheticSplit } from '../../core/data/synthetic.ts';
import { INIT_NAMES } from '../../core/init/index.ts';
import { exportSupernetFile } from '../../core/io/supernetFile.ts';
import { SPACE_IDS } from '../../core/space/spaces.ts';
import { optEnum, optInt, optNumber, parse, requireString, UsageError } from '../args.ts';
import { recipeFromArgs } from './train.ts';

export const exportSupernetHelp = 'export-supernet --space S|--preset P [--res R --width W --classes N --init I --seed K --identity on|off --dropout P] --out FILE.safetensors';

export async function exportSupernetCommand(argv: string[]): Promise<object> {
  const v = parse(argv, {
    space: { type: 'string' }, preset: { type: 'string' }, res: { type: 'string' }, width: { type: 'string' }, classes: { type: 'string' },
    init: { type: 'string' }, seed: { type: 'string' }, identity: { type: 'string' }, dropout: { type: 'string' }, out: { type: 'string' },
  });
  const out = requireString(v, 'out');
  optEnum(v, 'init', INIT_NAMES);
  const recipe = recipeFromArgs(v, 1000);
  const bytes = await exportSupernetFile(recipe);
  writeFileSync(`${out}.partial`, bytes);
  renameSync(`${out}.partial`, out);
  return { out, bytes: bytes.length, space: recipe.space, config: recipe.config, init: recipe.init, seed: recipe.seed };
}

export const exportDataHelp = 'export-data --out DIR [--format imagefolder|webdataset --res R --classes N --seed K --train N --val N --noise X --shard-size N | --preset P]';

/** Synthetic floats (roughly ImageNet-normalised) -> 8-bit RGB, the inverse of the lab's normalisation, rounded and clamped. */
export function toPixels(image: Float32Array, R: number): Uint8Array {
  const px = new Uint8Array(R * R * 3);
  for (let i = 0; i < px.length; i++) {
    const ch = i % 3;
    px[i] = Math.min(255, Math.max(0, Math.round((image[i] * IMAGENET_STD[ch] + IMAGENET_MEAN[ch]) * 255)));
  }
  return px;
}

/** One ustar member (regular file) with its data padded to 512 bytes. */
export function tarMember(name: string, data: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const head = new Uint8Array(512);
  const put = (s: string, at: number) => head.set(enc.encode(s), at);
  if (enc.encode(name).length > 99) throw new Error(`tar: member name too long: ${name}`);
  put(name, 0);
  put('0000644\0', 100);
  put('0000000\0', 108);
  put('0000000\0', 116);
  put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  put('00000000000\0', 136);
  put('        ', 148);
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  let sum = 0;
  for (const b of head) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  out.set(head);
  out.set(data, 512);
  return out;
}

export async function exportDataCommand(argv: string[]): Promise<object> {
  const v = parse(argv, {
    out: { type: 'string' }, format: { type: 'string' }, res: { type: 'string' }, classes: { type: 'string' }, seed: { type: 'string' },
    train: { type: 'string' }, val: { type: 'string' }, noise: { type: 'string' }, 'shard-size': { type: 'string' }, preset: { type: 'string' },
  });
  const out = requireString(v, 'out');
  const format = optEnum(v, 'format', ['imagefolder', 'webdataset'] as const) ?? 'imagefolder';
  const preset = optEnum(v, 'preset', Object.keys(PRESETS) as PresetName[]);
  const pc = preset ? PRESETS[preset].config : undefined;
  const R = optInt(v, 'res', 8) ?? pc?.resolution ?? 32;
  const classes = optInt(v, 'classes', 2) ?? pc?.numClasses ?? 10;
  const cfg = {
    seed: optInt(v, 'seed', 0) ?? 0,
    numClasses: classes,
    resolution: R,
    noise: optNumber(v, 'noise', (n) => n >= 0, 'a number >= 0') ?? DEFAULT_SYNTHETIC.noise,
    trainSize: optInt(v, 'train', 1) ?? 1000,
    valSize: optInt(v, 'val', 1) ?? 100,
  };
  const shardSize = optInt(v, 'shard-size', 1) ?? 1000;
  if (classes > 1000) throw new UsageError('--classes must be at most 1000');
  const written: Record<string, number> = {};
  for (const split of ['train', 'val'] as SyntheticSplit[]) {
    const n = split === 'train' ? cfg.trainSize : cfg.valSize;
    const dir = join(out, split);
    mkdirSync(dir, { recursive: true });
    let shard: Uint8Array[] = [];
    let shards = 0;
    const flush = () => {
      if (shard.length === 0) return;
      const total = shard.reduce((a, b) => a + b.length, 0) + 1024;
      const buf = new Uint8Array(total);
      let at = 0;
      for (const m of shard) {
        buf.set(m, at);
        at += m.length;
      }
      writeFileSync(join(dir, `${split}-${String(shards).padStart(6, '0')}.tar`), buf);
      shards++;
      shard = [];
    };
    for (let i = 0; i < n; i++) {
      const { image, label } = syntheticSample(cfg, split, i);
      const png = encodePng({ width: R, height: R, data: toPixels(image, R), channels: 3, depth: 8 });
      const key = `${split}${String(i).padStart(7, '0')}`;
      if (format === 'imagefolder') {
        const cdir = join(dir, `class${String(label).padStart(4, '0')}`);
        mkdirSync(cdir, { recursive: true });
        writeFileSync(join(cdir, `${key}.png`), png);
      } else {
        shard.push(tarMember(`${key}.png`, png), tarMember(`${key}.cls`, new TextEncoder().encode(String(label))));
        if (shard.length >= 2 * shardSize) flush();
      }
    }
    flush();
    written[split] = n;
  }
  return { out, format, resolution: R, classes, seed: cfg.seed, noise: cfg.noise, samples: written };
}
