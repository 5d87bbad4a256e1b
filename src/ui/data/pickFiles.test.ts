import { describe, expect, it } from 'vitest';
import { filesOfEntries } from './pickFiles.ts';

// Fake FileSystem entries: a directory lists its children `perCall` at a time, as Chromium's
// readEntries() does (at most 100 per call), then an empty batch.
function fileEntry(fullPath: string): FileSystemEntry {
  const file = new File([fullPath], fullPath.slice(fullPath.lastIndexOf('/') + 1));
  return { isFile: true, isDirectory: false, fullPath, file: (ok: (f: File) => void) => ok(file) } as unknown as FileSystemEntry;
}

function dirEntry(fullPath: string, children: FileSystemEntry[], perCall: number, calls: { n: number }): FileSystemEntry {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (es: FileSystemEntry[]) => void) => {
          calls.n++;
          const batch = children.slice(at, at + perCall);
          at += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  } as unknown as FileSystemEntry;
}

describe('filesOfEntries', () => {
  it('reads every readEntries batch of nested directories, naming files by their path in the drop', async () => {
    const calls = { n: 0 };
    const cls = Array.from({ length: 250 }, (_, i) => fileEntry(`/train/n01440764/img${i}.JPEG`));
    const inner = dirEntry('/train/n01440764', cls, 100, calls);
    const top = dirEntry('/train', [inner, fileEntry('/train/README')], 100, calls);
    const got = await filesOfEntries([top, fileEntry('/loose.tar')]);
    expect(got).toHaveLength(252);
    expect(got[0].path).toBe('train/n01440764/img0.JPEG');
    expect(got[249].path).toBe('train/n01440764/img249.JPEG');
    expect(got.slice(250).map((f) => f.path)).toEqual(['train/README', 'loose.tar']);
    expect(got[3].file.name).toBe('img3.JPEG');
    // 250 children in batches of 100: 3 batches + the empty one; the top: 1 + the empty one
    expect(calls.n).toBe(4 + 2);
  });
});
