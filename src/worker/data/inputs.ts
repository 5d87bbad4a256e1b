// The posted files as the pipeline's inputs: each shard (tar / tar.gz / TFRecord / parquet) is one
// input, and all loose images together are one ImageFolder input (the class is the image's
// directory; see src/core/data/formats/imageFolder.ts).
import type { FileLike } from '../../core/data/open/fileLike.ts';
import { IMAGE_EXTS } from '../../core/data/images/imageKind.ts';
import { fileInput, folderInput, type ShardInput } from '../../core/data/pipeline/inputs.ts';

/** True for a file read as an ImageFolder image rather than as a shard: its extension is an image's. */
export function isImageFile(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTS.includes(path.slice(dot + 1).toLowerCase());
}

/** An input with the number of files it covers (for progress). */
export interface CountedInput {
  input: ShardInput;
  files: number;
}

/**
 * Shards sorted by path, then the loose images as one folder named after their common top
 * directory ("train/"), or "images" when they share none. `files` are named by relative path.
 * `classPaths`: the image paths whose directories name the folder's classes (default: these
 * images'; the whole drop's when `files` is a part of it).
 */
export function dataInputs(files: readonly FileLike[], classPaths?: readonly string[]): CountedInput[] {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: CountedInput[] = sorted.filter((f) => !isImageFile(f.name)).map((f) => ({ input: fileInput(f), files: 1 }));
  const images = sorted.filter((f) => isImageFile(f.name));
  if (images.length > 0) {
    const tops = new Set(images.map((f) => (f.name.includes('/') ? f.name.slice(0, f.name.indexOf('/')) : '')));
    const top = tops.size === 1 ? [...tops][0] : '';
    const name = top === '' ? 'images' : `${top}/`;
    out.push({ input: folderInput(name, images.map((file) => ({ relativePath: file.name, file })), classPaths), files: images.length });
  }
  return out;
}
