// One entry point for a shard given as a FileLike (a browser File, a Node file): parquet goes to
// the parquet reader (random access), everything else to readShard over a stream of slices.
import { fileLikeStream, type FileLike } from './fileLike.ts';
import { readShard } from './detect.ts';
import { readParquet } from '../formats/parquet.ts';
import type { ReaderOptions, ShardRead } from '../formats/shard.ts';

function isParquetHead(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31; // "PAR1"
}

/**
 * Read any tar / tar.gz / TFRecord / gzipped TFRecord / parquet shard. The content decides (the
 * parquet magic "PAR1", then readShard's detection). Never throws for bad input.
 */
export async function readFileShard(file: FileLike, opts: ReaderOptions): Promise<ShardRead> {
  let head: Uint8Array;
  try {
    head = new Uint8Array(await file.slice(0, Math.min(4, file.size)));
  } catch {
    head = new Uint8Array(0); // readShard re-reads through the stream and reports the read error
  }
  if (isParquetHead(head)) return readParquet(file, opts);
  return readShard(fileLikeStream(file), opts);
}
