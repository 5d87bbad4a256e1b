// A subnet as the block diagram draws it: the stem, stages (a new stage at every stride-2 block),
// the head; identity layers are left out and counted. Channels and sizes at the reference
// (224 px, 1000 classes, the run's width). Pure (unit-tested).
import { decodeArch, resolveSpace } from '../../core/space/decode.ts';
import { REFERENCE_CONFIG, type Arch, type BlockSpec, type SpaceDef } from '../../core/space/types.ts';

export interface DiagramBlock {
  /** Short label: 'MB6 3x3', 'DS 3x3', 'Shuffle 5x5', 'Xception', 'Conv 3x3'. */
  label: string;
  kind: 'conv' | 'ir' | 'ds' | 'shuffle' | 'xception' | 'head';
  kernel: number | null;
  expand: number | null;
  stride: 1 | 2;
  cin: number;
  cout: number;
  /** Output spatial size (square) in pixels at 224 px input. */
  outSize: number;
  /** Searchable layer index, null for fixed blocks (stem, fixed, head). */
  layer: number | null;
}

export interface DiagramStage {
  blocks: DiagramBlock[];
  /** Output spatial size of the stage. */
  outSize: number;
  cout: number;
}

export interface Diagram {
  stages: DiagramStage[];
  /** Searchable layers set to identity (skipped). */
  skipped: number[];
  classes: number;
}

function blockOf(b: BlockSpec, size: number, layer: number | null): DiagramBlock | null {
  switch (b.type) {
    case 'conv':
      return { label: `Conv ${b.kernel}x${b.kernel}`, kind: layer === null && b.kernel === 1 ? 'head' : 'conv', kernel: b.kernel, expand: null, stride: b.stride, cin: b.cin, cout: b.cout, outSize: size, layer };
    case 'ir':
      return b.expand === 1
        ? { label: `DS ${b.kernel}x${b.kernel}`, kind: 'ds', kernel: b.kernel, expand: 1, stride: b.stride, cin: b.cin, cout: b.cout, outSize: size, layer }
        : { label: `MB${b.expand} ${b.kernel}x${b.kernel}`, kind: 'ir', kernel: b.kernel, expand: b.expand, stride: b.stride, cin: b.cin, cout: b.cout, outSize: size, layer };
    case 'shuffle':
      return { label: `Shuffle ${b.kernel}x${b.kernel}`, kind: 'shuffle', kernel: b.kernel, expand: null, stride: b.stride, cin: b.cin, cout: b.cout, outSize: size, layer };
    case 'xception':
      return { label: 'Xception 3x3', kind: 'xception', kernel: 3, expand: null, stride: b.stride, cin: b.cin, cout: b.cout, outSize: size, layer };
    default:
      return null; // identity, pool, linear
  }
}

/** The diagram of `arch` in `space` at width `widthMult`. Throws (naming the layer) on an invalid arch. */
export function archDiagram(space: SpaceDef, widthMult: number, arch: Arch): Diagram {
  const rs = resolveSpace(space, { ...REFERENCE_CONFIG, widthMult, identity: true });
  const blocks = decodeArch(rs, arch);
  const prefixN = rs.prefix.length;
  const stages: DiagramStage[] = [];
  const skipped: number[] = [];
  let size: number = REFERENCE_CONFIG.resolution;
  blocks.forEach((b, i) => {
    const layer = i >= prefixN && i < prefixN + arch.length ? i - prefixN : null;
    if (b.type === 'identity') {
      if (layer !== null) skipped.push(layer);
      return;
    }
    if ('stride' in b && b.stride === 2) size = Math.ceil(size / 2);
    const d = blockOf(b, size, layer);
    if (d === null) return;
    const last = stages.at(-1);
    if (last === undefined || d.stride === 2 || d.kind === 'head' || (last.blocks[0].layer === null && d.layer !== null) || last.blocks[0].kind === 'conv') {
      stages.push({ blocks: [d], outSize: size, cout: d.cout });
    } else {
      last.blocks.push(d);
      last.outSize = size;
      last.cout = d.cout;
    }
  });
  return { stages, skipped, classes: REFERENCE_CONFIG.numClasses };
}
