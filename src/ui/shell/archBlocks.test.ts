import { describe, expect, it } from 'vitest';
import { SPACES } from '../../core/space/spaces.ts';
import { IDENTITY } from '../../core/space/types.ts';
import { archDiagram } from './archBlocks.ts';

describe('archDiagram', () => {
  const space = SPACES['bnnas-mbv2'];
  const n = space.layers.length;

  it('draws every non-identity layer once, in order, and lists the skipped ones', () => {
    // identity on every normal layer (stride 1 and cin = cout), candidate 0 elsewhere
    const normal = space.layers.map((l, i) => l.stride === 1 && i > 0 && space.layers[i - 1].cout === l.cout);
    const arch = normal.map((isNormal) => (isNormal ? IDENTITY : 0));
    const d = archDiagram(space, 1, arch);
    const drawn = d.stages.flatMap((s) => s.blocks).filter((b) => b.layer !== null).map((b) => b.layer);
    const want = arch.map((c, i) => (c === IDENTITY ? -1 : i)).filter((i) => i >= 0);
    expect(drawn).toEqual(want);
    expect(d.skipped).toEqual(arch.map((c, i) => (c === IDENTITY ? i : -1)).filter((i) => i >= 0));
  });

  it('starts a stage at every stride-2 block and halves the size there', () => {
    const arch = Array.from({ length: n }, () => 0);
    const d = archDiagram(space, 1, arch);
    for (const s of d.stages) expect(s.blocks.slice(1).every((b) => b.stride === 1)).toBe(true);
    const strides2 = d.stages.flatMap((s) => s.blocks).filter((b) => b.stride === 2).length;
    expect(d.stages[0].blocks[0].outSize).toBe(112); // stem, stride 2 from 224
    expect(d.stages.at(-1)?.outSize).toBe(224 / 2 ** strides2);
    // the candidate's kernel and expansion come through
    const op = space.candidates[0];
    const first = d.stages.flatMap((s) => s.blocks).find((b) => b.layer === 0);
    if (op.kind === 'ir') {
      expect(first?.kernel).toBe(op.kernel);
      expect(first?.expand).toBe(op.expand);
    }
  });

  it('channels chain: the last stage feeds the head', () => {
    const arch = Array.from({ length: n }, () => 1);
    const d = archDiagram(space, 1, arch);
    const head = d.stages.at(-1)?.blocks[0];
    expect(head?.kind).toBe('head');
    expect(head?.cin).toBe(d.stages.at(-2)?.cout);
  });

  it('names the bad layer of an invalid architecture', () => {
    expect(() => archDiagram(space, 1, Array.from({ length: n }, () => 99))).toThrow(/layer 0/);
  });
});
