// What the pipeline reads: shard files (tar, tar.gz, TFRecord, parquet) and ImageFolders, each as a
// ShardInput that opens a fresh reader per pass (an ImageFolder is shuffled per pass by its seed).
import type { FileLike } from '../open/fileLike.ts';
import { readImageFolder, type FolderEntry } from '../formats/imageFolder.ts';
import { readFileShard } from '../open/readShard.ts';
import type { ReaderOptions, ShardRead } from '../formats/shard.ts';

export interface ShardInput {
  /** Shown in messages and statistics. */
  readonly name: string;
  /** Bytes (file size or the sum of an ImageFolder's files), for statistics. */
  readonly size: number;
  /** A fresh reader; `passSeed` is set for a shuffled pass (ImageFolder permutes its files by it). */
  open(opts: ReaderOptions, passSeed?: number): Promise<ShardRead>;
}

export function fileInput(file: FileLike): ShardInput {
  return { name: file.name, size: file.size, open: (opts) => readFileShard(file, opts) };
}

/** `classPaths`: the paths whose directories name the classes (FolderOptions.classPaths; default the entries'). */
export function folderInput(name: string, entries: readonly FolderEntry[], classPaths?: readonly string[]): ShardInput {
  const size = entries.reduce((n, e) => n + e.file.size, 0);
  return { name, size, open: (opts, passSeed) => Promise.resolve(readImageFolder(entries, { ...opts, shuffleSeed: passSeed, classPaths })) };
}
