import { describe, expect, it } from 'vitest';
import { bytesFile } from '../../core/data/open/fileLike.ts';
import { dataInputs, isImageFile } from './inputs.ts';

describe('isImageFile', () => {
  it('goes by the extension after the last dot, any case', () => {
    for (const p of ['x.jpg', 'train/n01440764/a.JPEG', 'a.Png', 'b.webp', '.jpg']) expect(isImageFile(p), p).toBe(true);
    for (const p of ['shard.tar', 'x.jpg.tar', 'jpg', 'dir.png/file', 'a.gif', 'train-00000-of-00001.parquet']) expect(isImageFile(p), p).toBe(false);
  });
});

describe('dataInputs', () => {
  it('makes each shard one input and the loose images one folder named after their top directory', () => {
    const f = (name: string) => bytesFile(name, new Uint8Array(1));
    const inputs = dataInputs([f('train/b/2.jpg'), f('z.tar'), f('train/a/1.png'), f('a.tfrecord')]);
    expect(inputs.map((i) => [i.input.name, i.files])).toEqual([['a.tfrecord', 1], ['z.tar', 1], ['train/', 2]]);
  });
});
