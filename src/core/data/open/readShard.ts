// How a dropped file becomes samples, in one place: the two entry points every caller uses.
//   readFileShard(file)   a FileLike (a browser File, a Node file): parquet (magic "PAR1") goes to
//                         the parquet reader (random access), everything else to readShard over a
//                         stream of the file's slices.
//   readShard(stream)     gunzip when the bytes are gzip (bytes.ts), detect the format on the first
//                         decompressed bytes (detect.ts), hand the stream to the WebDataset tar or
//                         TFRecord reader (formats/), which opens it as a ByteReader (openShard.ts).
// Neither throws for bad input: a file no reader takes yields no sample and one issue. Loose images
// (an ImageFolder) are not shards: pipeline/inputs.ts reads them with formats/imageFolder.ts.
import { maybeGunzip, peekStream, StreamReadError } from './bytes.ts';
import { DETECT_BYTES, detectFormat } from './detect.ts';
import { fileLikeStream, type FileLike } from './fileLike.ts';
import { readParquet } from '../formats/parquet.ts';
import { IssueSink, newStats, type ReaderOptions, type Sample, type ShardRead } from '../formats/shard.ts';
import { readTfRecord } from '../formats/tfrecord.ts';
import { readWebDataset } from '../formats/webdataset.ts';

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

/** A reader that yields nothing and reports one issue (for files no stream reader handles). */
function refused(opts: ReaderOptions, message: string, code: 'unknown-format' | 'read-error' | 'empty-file'): ShardRead {
  const stats = newStats(opts.file);
  const sink = new IssueSink(stats, opts);
  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    sink.report(code, message, { offset: 0 }, 0);
    stats.abandoned = true;
    stats.done = true;
  }
  return { samples: samples(), stats };
}

/**
 * Read any tar / tar.gz / TFRecord / gzipped TFRecord shard: decompress if gzip, detect the format
 * on the (decompressed) first bytes, and hand the stream to the right reader. Never throws for bad
 * input; a file of no known format yields no sample and one `unknown-format` issue ("no known shard format").
 */
export async function readShard(stream: ReadableStream<Uint8Array>, opts: ReaderOptions): Promise<ShardRead> {
  let peeked;
  let gzip = false;
  try {
    const opened = await maybeGunzip(stream);
    gzip = opened.gzip;
    peeked = await peekStream(opened.stream, DETECT_BYTES);
  } catch (e) {
    const why = e instanceof StreamReadError ? e.message : e instanceof Error ? `stream read failed at the start: ${e.message}` : String(e);
    return refused(opts, why, 'read-error');
  }
  const d = detectFormat(peeked.head, opts.file);
  let read: ShardRead;
  if (d.format === 'tar') read = readWebDataset(peeked.stream, opts);
  else if (d.format === 'tfrecord') read = readTfRecord(peeked.stream, opts);
  else {
    await peeked.stream.cancel().catch(() => undefined);
    if (peeked.head.length === 0) return refused(opts, 'the file is empty', 'empty-file');
    const what = d.format === 'parquet' ? 'a parquet file (read through the parquet reader, not as a stream)' : 'not a tar or TFRecord file';
    return refused(opts, `${what}: ${d.why}`, 'unknown-format');
  }
  read.stats.compressed = gzip;
  return read;
}
