// ImageFolder (`train/n01440764/n01440764_10026.JPEG`): a dropped directory or a multi-file pick,
// given as {relativePath, file} entries. As torchvision's ImageFolder defines it: the classes are
// the immediate subfolders of the root that hold image files (at any depth below them); the class
// of an image is the subfolder of the root it lies under. The root is the first path component
// when every path below a folder shares it (a dropped folder, the CLI's --data DIR); otherwise (a
// drop of several class folders) the drop itself. Files directly in the root, and subfolders that
// hold no images, are reported, never classes. Two label modes (see docs/data.md):
//   - synset mode (some class folder is named like a synset, n########): class index = the synset's
//     position in the sorted 1000 (the scheme of every other reader); folders that are not one
//     of the 1000 synsets are reported (`unknown-synset`) file by file.
//   - sorted-name mode (no class folder looks like a synset): class index = position of the folder
//     name in the sorted list of class folder names (torchvision's ImageFolder), at most 1000 classes.
// Each image file is read whole when its turn comes (one file in memory, at most maxRecordBytes);
// a file that cannot be read, is empty, too large or is not an image by extension is reported and
// skipped; the rest goes on.
import { readWhole, type FileLike } from '../open/fileLike.ts';
import { synsetToIndex, NUM_IMAGENET_CLASSES } from '../labels/labels.ts';
import { admit, DEFAULT_MAX_RECORD_BYTES, IssueSink, newStats, type ReaderOptions, type Sample, type ShardRead } from './shard.ts';
import { createRng } from '../../rng.ts';
import { IMAGE_EXTS } from '../images/imageKind.ts';
import { errorMessage } from '../../errors.ts';

export interface FolderEntry {
  /** Path relative to the dropped root, '/'-separated (webkitRelativePath, or the path in the drop). */
  relativePath: string;
  file: FileLike;
}

export interface FolderOptions extends ReaderOptions {
  /** Read the files in a seeded random order (a full permutation, cheap: the list is in memory). Default: sorted by path. */
  shuffleSeed?: number;
  /**
   * The paths whose directories name the sorted-name classes (default: the entries'). Reading a
   * part of a drop (its training or its validation images) with the whole drop's paths labels
   * both parts alike.
   */
  classPaths?: readonly string[];
}

export interface FolderRead extends ShardRead {
  /** 'synset' or 'sorted-name' (see the header comment). */
  labelMode: 'synset' | 'sorted-name';
  /** sorted-name mode: the directory name of each class index 0..K-1; synset mode: []. */
  classNames: string[];
}

const SYNSET_NAME = /^n\d{8}$/;

const partsOf = (path: string): string[] => path.split('/').filter((p) => p.length > 0);

/** 1 when every path below a folder shares its first component (that folder is the root), else 0. */
export function rootDepth(paths: readonly string[]): 0 | 1 {
  const tops = new Set(paths.map(partsOf).filter((p) => p.length >= 2).map((p) => p[0]));
  return tops.size === 1 ? 1 : 0;
}

/** The class folder of a path: the root's immediate subfolder it lies under; undefined for a file directly in the root. */
function classDirOf(path: string, depth: 0 | 1): string | undefined {
  const parts = partsOf(path);
  return parts.length >= depth + 2 ? parts[depth] : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function extOf(path: string): string {
  const b = baseName(path);
  const dot = b.lastIndexOf('.');
  return dot <= 0 ? '' : b.slice(dot + 1).toLowerCase();
}

/**
 * The class index per class folder, the mode and the root depth (pure: exported for tests and the
 * UI). Only folders holding image files (by extension) are classes.
 */
export function folderClasses(paths: readonly string[]): { labelMode: 'synset' | 'sorted-name'; classNames: string[]; indexOf: (dir: string) => number; depth: 0 | 1 } {
  const depth = rootDepth(paths);
  const images = paths.filter((p) => IMAGE_EXTS.includes(extOf(p)));
  const dirs = [...new Set(images.map((p) => classDirOf(p, depth)).filter((d): d is string => d !== undefined))].sort();
  if (dirs.some((d) => SYNSET_NAME.test(d))) return { labelMode: 'synset', classNames: [], indexOf: synsetToIndex, depth };
  const pos = new Map(dirs.map((d, i) => [d, i]));
  return { labelMode: 'sorted-name', classNames: dirs, indexOf: (d) => pos.get(d) ?? -1, depth };
}

/** Read an ImageFolder. `opts.file` names the folder in messages; each issue's key is the image's relative path. */
export function readImageFolder(entries: readonly FolderEntry[], opts: FolderOptions): FolderRead {
  const stats = newStats(opts.file);
  stats.format = 'imagefolder';
  const sink = new IssueSink(stats, opts);
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const visible = entries.filter((e) => !baseName(e.relativePath).startsWith('.')); // .DS_Store and friends
  const sorted = [...visible].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  const order = opts.shuffleSeed === undefined ? sorted : createRng(opts.shuffleSeed).shuffle([...sorted]);
  const cls = folderClasses(opts.classPaths?.filter((p) => !baseName(p).startsWith('.')) ?? sorted.map((e) => e.relativePath));

  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    try {
      if (order.length === 0) {
        sink.report('empty-file', 'the folder holds no files', {}, 0);
        stats.abandoned = true;
        return;
      }
      for (let i = 0; i < order.length; i++) {
        const { relativePath: key, file } = order[i];
        stats.members++;
        const at = { key };
        const dir = classDirOf(key, cls.depth);
        if (dir === undefined) {
          sink.report('no-label', 'the file is directly in the root folder, not inside a class subfolder (not a class, as in torchvision\'s ImageFolder)', at);
          continue;
        }
        const ext = extOf(key);
        if (!IMAGE_EXTS.includes(ext)) {
          sink.report('no-image', `not an image file by its extension ("${ext || 'none'}"; expected ${IMAGE_EXTS.join(', ')})`, at);
          continue;
        }
        const classIndex = cls.indexOf(dir);
        if (classIndex < 0 && cls.labelMode === 'sorted-name') {
          sink.report('no-label', `folder "${dir}" is not a class (it holds no image files in the class list)`, at);
          continue;
        }
        if (classIndex < 0) {
          sink.report('unknown-synset', `directory "${dir}" is not one of the 1000 ImageNet synsets`, at);
          continue;
        }
        if (classIndex >= NUM_IMAGENET_CLASSES) {
          sink.report('label-out-of-range', `directory "${dir}" is class ${classIndex}: more than 1000 class directories`, at);
          continue;
        }
        if (opts.classes && opts.classes.labelOf[classIndex] < 0) {
          stats.filtered++; // outside the class subset: not read at all
          continue;
        }
        if (file.size === 0) {
          sink.report('no-image', 'the file is empty', at);
          continue;
        }
        if (file.size > maxRecordBytes) {
          sink.report('record-too-large', `the file is ${file.size} bytes, over the ${maxRecordBytes}-byte limit (maxRecordBytes); not read`, at);
          continue;
        }
        let image: Uint8Array;
        try {
          image = await readWhole(file);
        } catch (e) {
          sink.report('unreadable-file', `the file cannot be read: ${errorMessage(e)}`, at);
          continue;
        }
        stats.bytes += image.length;
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, image.length);
        const label = admit(stats, opts.classes, classIndex);
        const sample: Sample = { file: opts.file, key, image, imageExt: ext, classIndex, label, offset: i };
        if (cls.labelMode === 'synset') sample.synset = dir;
        yield sample;
      }
    } finally {
      stats.done = true;
    }
  }

  return { samples: samples(), stats, labelMode: cls.labelMode, classNames: cls.classNames };
}
