import { describe, expect, it } from 'vitest';
import { bytesFile } from '../../core/data/open/fileLike.ts';
import type { DataIssue } from '../../core/data/formats/shard.ts';
import { badKey, scanFiles, type ScanProgress, type Thumbnail } from './scan.ts';
import { summarise } from './handler.ts';
import { FakeDecoder, fakeImage, tarShard } from './testing.ts';

function run(files: ReturnType<typeof bytesFile>[], extra: { cancelAfter?: number; thumbCount?: number } = {}) {
  const issues: DataIssue[] = [];
  const progress: ScanProgress[] = [];
  const thumbs: Thumbnail[][] = [];
  const decoder = new FakeDecoder();
  const result = scanFiles(files, {
    decoder,
    onIssue: (i) => issues.push(i),
    onProgress: (p) => progress.push(p),
    onThumbnails: (t) => thumbs.push(t),
    cancelled: () => extra.cancelAfter !== undefined && decoder.calls >= extra.cancelAfter,
    progressEveryMs: 0,
    thumbCount: extra.thumbCount ?? 3,
    thumbSize: 4,
    concurrency: 2,
  });
  return { result, issues, progress, thumbs, decoder };
}

describe('scanFiles', () => {
  it('counts good samples per class, reports the undecodable one by file and key, and sends thumbnails', async () => {
    const a = tarShard([
      { key: 'a0', cls: 3, image: fakeImage(10) },
      { key: 'a1', cls: 3, image: fakeImage(20) },
      { key: 'bad', cls: 7, image: new TextEncoder().encode('not a jpeg') },
      { key: 'a2', cls: 7, image: fakeImage(30) },
    ]);
    const b = tarShard([{ key: 'b0', cls: 999, image: fakeImage(40) }]);
    const junk = new TextEncoder().encode('hello, I am no shard at all'.repeat(30));
    const s = run([bytesFile('s-1.tar', b), bytesFile('s-0.tar', a), bytesFile('junk.bin', junk)]);
    const r = await s.result;
    expect(r.samples).toBe(4);
    expect(r.decoded).toBe(4);
    expect(r.cancelled).toBe(false);
    expect([...r.perClass.entries()].filter(([, n]) => n > 0)).toEqual([[3, 2], [7, 1], [999, 1]]);
    expect(r.undecodable).toEqual(new Set([badKey('s-0.tar', 'bad')]));
    // the undecodable image plus the file of no known format, each naming its file
    expect(s.issues.map((i) => [i.file, i.code])).toEqual([['junk.bin', 'unknown-format'], ['s-0.tar', 'undecodable-image']]);
    const bad = s.issues[1];
    expect(bad.key).toBe('bad');
    expect(bad.reason).toMatch(/^s-0\.tar, sample "bad", byte \d+: corrupt image$/);
    expect(r.skipped).toBe(1); // a file of no known format costs no counted sample
    expect(r.issues).toBe(2);
    expect(r.bytes).toBe(a.length + b.length + junk.length);
    // thumbnails: sent once, the first 3 decoded, at the thumbnail size
    expect(s.thumbs).toHaveLength(1);
    expect(s.thumbs[0].map((t) => [t.key, t.classIndex, t.width, t.rgba[0]])).toEqual([['a0', 3, 4, 10], ['a1', 3, 4, 20], ['a2', 7, 4, 30]]);
    const last = s.progress.at(-1)!;
    expect(last).toMatchObject({ filesDone: 3, filesTotal: 3, samples: 4, skipped: 1, bytesRead: r.bytes, bytesTotal: r.bytes, decoded: 4, currentFile: null });
    expect(last.perClass[999]).toBe(1);
    // byte progress never goes back
    for (let i = 1; i < s.progress.length; i++) expect(s.progress[i].bytesRead).toBeGreaterThanOrEqual(s.progress[i - 1].bytesRead);
  });

  it('reads loose images as one ImageFolder and sends fewer thumbnails when there are fewer samples', async () => {
    const files = [
      bytesFile('train/n01440764/x.JPEG', fakeImage(1)),
      bytesFile('train/n01443537/y.png', fakeImage(2)),
      bytesFile('train/n01443537/z.jpg', Uint8Array.from([1, 2, 3])),
    ];
    const s = run(files, { thumbCount: 5 });
    const r = await s.result;
    expect(r.samples).toBe(2);
    expect(r.perClass[0]).toBe(1);
    expect(r.perClass[1]).toBe(1);
    expect(r.folderClassNames).toBeNull();
    expect(s.issues).toHaveLength(1);
    expect(s.issues[0]).toMatchObject({ file: 'train/', key: 'train/n01443537/z.jpg', code: 'undecodable-image' });
    expect(s.thumbs).toHaveLength(1);
    expect(s.thumbs[0]).toHaveLength(2);
  });

  it('names the classes of an ImageFolder without synset directories by its sorted directories', async () => {
    const files = [bytesFile('pets/dog/b.jpg', fakeImage(1)), bytesFile('pets/cat/a.jpg', fakeImage(2)), bytesFile('pets/dog/c.jpg', fakeImage(3))];
    const s = run(files);
    const r = await s.result;
    expect(r.folderClassNames).toEqual(['cat', 'dog']);
    expect([r.perClass[0], r.perClass[1]]).toEqual([1, 2]);
    expect(s.progress.at(-1)!.folderClassNames).toEqual(['cat', 'dog']);
    expect(summarise(files, r)).toMatchObject({ classIndices: [0, 1], classCounts: [1, 2], classNames: ['cat', 'dog'] });
  });

  it('stops when cancelled', async () => {
    const many = tarShard(Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, cls: 1, image: fakeImage(i) })));
    const s = run([bytesFile('m.tar', many), bytesFile('n.tar', many)], { cancelAfter: 5 });
    const r = await s.result;
    expect(r.cancelled).toBe(true);
    expect(r.decoded).toBeLessThan(10);
    expect(s.progress.at(-1)!.filesDone).toBeLessThanOrEqual(1);
  });
});
