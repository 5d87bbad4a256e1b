import { describe, expect, it } from 'vitest';
import { bytesFile, type FileLike } from '../open/fileLike.ts';
import { collect } from '../fixtures/streams.ts';
import { folderClasses, readImageFolder, type FolderEntry } from './imageFolder.ts';
import { selectClasses } from '../labels/labels.ts';
import type { DataIssue } from './shard.ts';

const img = (n: number) => new Uint8Array([0xff, 0xd8, 0xff, n]);
const entry = (relativePath: string, bytes = img(relativePath.length)): FolderEntry => ({ relativePath, file: bytesFile(relativePath, bytes) });

describe('folderClasses', () => {
  it('synset mode maps through the sorted 1000; sorted-name mode numbers the sorted directory names', () => {
    const s = folderClasses(['train/n01443537/a.JPEG', 'train/n01440764/b.JPEG']);
    expect(s.labelMode).toBe('synset');
    expect(s.indexOf('n01440764')).toBe(0);
    expect(s.indexOf('n01443537')).toBe(1);
    expect(s.indexOf('n15075141')).toBe(999);
    expect(s.indexOf('cats')).toBe(-1);
    const n = folderClasses(['pets/dogs/1.png', 'pets/cats/2.png', 'pets/birds/3.png', 'pets/cats/4.png']);
    expect(n.labelMode).toBe('sorted-name');
    expect(n.classNames).toEqual(['birds', 'cats', 'dogs']);
    expect(n.indexOf('cats')).toBe(1);
  });
});

describe('readImageFolder', () => {
  it('reads a synset folder in sorted order, reports bad files and goes on', async () => {
    const failing: FileLike = { name: 'x', size: 10, slice: () => Promise.reject(new Error('permission denied')) };
    const entries = [
      entry('train/n01443537/n01443537_1.JPEG'),
      entry('train/n01440764/n01440764_2.JPEG'),
      entry('train/n01440764/.DS_Store'),
      entry('train/n01440764/notes.txt'),
      entry('train/n09999999/x.JPEG'),
      entry('train/n01440764/empty.jpg', new Uint8Array(0)),
      { relativePath: 'train/n01440764/broken.png', file: failing },
      entry('loose.jpg'),
    ];
    const issues: DataIssue[] = [];
    const read = readImageFolder(entries, { file: 'train/', onIssue: (i) => issues.push(i) });
    const got = await collect(read);
    expect(read.labelMode).toBe('synset');
    expect(got.map((s) => [s.key, s.classIndex, s.synset, s.imageExt])).toEqual([
      ['train/n01440764/n01440764_2.JPEG', 0, 'n01440764', 'jpeg'],
      ['train/n01443537/n01443537_1.JPEG', 1, 'n01443537', 'jpeg'],
    ]);
    expect(got[0].image).toEqual(img('train/n01440764/n01440764_2.JPEG'.length));
    const byKey = Object.fromEntries(issues.map((i) => [i.key, i.code]));
    expect(byKey).toEqual({
      'loose.jpg': 'no-label',
      'train/n01440764/broken.png': 'unreadable-file',
      'train/n01440764/empty.jpg': 'no-image',
      'train/n01440764/notes.txt': 'no-image',
      'train/n09999999/x.JPEG': 'unknown-synset',
    });
    expect(issues.find((i) => i.code === 'unreadable-file')!.reason).toBe('train/, sample "train/n01440764/broken.png": the file cannot be read: permission denied');
    expect(read.stats).toMatchObject({ format: 'imagefolder', samples: 2, skipped: 5, done: true });
  });

  it('sorted-name mode, class subsets (filtered files are not read) and a seeded order', async () => {
    let reads = 0;
    const counting = (p: string): FolderEntry => {
      const f = bytesFile(p, img(1));
      return { relativePath: p, file: { ...f, name: p, size: f.size, slice: (a, b) => (reads++, f.slice(a, b)) } };
    };
    const paths = Array.from({ length: 12 }, (_, i) => `d/${['b', 'a', 'c'][i % 3]}/${i}.png`);
    const read = readImageFolder(paths.map(counting), { file: 'd', classes: selectClasses({ kind: 'indices', indices: [2, 0] }) });
    const got = await collect(read);
    expect(read.classNames).toEqual(['a', 'b', 'c']);
    expect(new Set(got.map((s) => `${s.key.split('/')[1]}:${s.classIndex}:${s.label}`))).toEqual(new Set(['c:2:0', 'a:0:1']));
    expect(read.stats.filtered).toBe(4);
    expect(reads).toBe(8);
    const order = async (seed?: number) => (await collect(readImageFolder(paths.map((p) => entry(p)), { file: 'd', shuffleSeed: seed }))).map((s) => s.key);
    const sorted = await order();
    expect(sorted).toEqual([...paths].sort());
    expect(await order(7)).toEqual(await order(7));
    expect(await order(7)).not.toEqual(sorted);
    expect([...(await order(7))].sort()).toEqual(sorted);
  });

  it('an empty folder is one issue', async () => {
    const read = readImageFolder([], { file: 'none/' });
    expect(await collect(read)).toEqual([]);
    expect(read.stats.issueCounts).toEqual({ 'empty-file': 1 });
  });
});
