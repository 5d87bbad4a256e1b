// Files on disk as the core's FileLike (slices read with positioned reads; a handle per slice, so
// nothing stays open) and directories as ImageFolder entries or lists of shard files.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { FileLike } from '../core/data/open/fileLike.ts';
import type { FolderEntry } from '../core/data/formats/imageFolder.ts';
import { checkBytes, LIMITS } from '../core/limits.ts';

/**
 * A file on disk as a FileLike. A slice is read with positioned reads of at most
 * LIMITS.readChunkBytes each (Node aborts on one read past 2 GiB), and a slice larger than
 * LIMITS.maxSliceBytes is refused (the readers report it) before any memory is taken.
 */
export function nodeFile(path: string, size: number, name = path, chunkBytes: number = LIMITS.readChunkBytes): FileLike {
  return {
    name,
    size,
    async slice(start, end) {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      checkBytes('maxSliceBytes', e - s, `${name}: a read of bytes ${s}..${e}`);
      const buf = new Uint8Array(e - s);
      const fh = await open(path, 'r');
      try {
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await fh.read(buf, got, Math.min(chunkBytes, buf.length - got), s + got);
          if (bytesRead === 0) break; // the file shrank: return what there is
          got += bytesRead;
        }
        return buf.buffer.slice(0, got);
      } finally {
        await fh.close();
      }
    },
  };
}

async function walk(dir: string, root: string, out: FolderEntry[]): Promise<void> {
  const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const p = join(dir, d.name);
    if (d.isDirectory()) await walk(p, root, out);
    else if (d.isFile()) {
      const rel = relative(root, p).split('\\').join('/');
      out.push({ relativePath: rel, file: nodeFile(p, (await stat(p)).size, rel) });
    }
  }
}

/** Every file under `dir`, with paths relative to dir's parent (so they start with dir's name, as a browser drop gives them). */
export async function folderEntries(dir: string): Promise<FolderEntry[]> {
  const out: FolderEntry[] = [];
  await walk(dir, join(dir, '..'), out);
  return out;
}

/** Whether the directory has subdirectories (an ImageFolder) rather than only files (a directory of shards). */
export async function hasSubdirectories(dir: string): Promise<boolean> {
  return (await readdir(dir, { withFileTypes: true })).some((d) => d.isDirectory());
}

/** The non-hidden files directly in `dir`, sorted, as FileLikes. */
export async function shardFiles(dir: string): Promise<FileLike[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => d.name).sort();
  return Promise.all(names.map(async (n) => nodeFile(join(dir, n), (await stat(join(dir, n))).size, join(basename(dir), n))));
}
