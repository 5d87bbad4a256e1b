// Which reader a dropped file needs, from its first bytes (the content decides; the name only breaks
// ties), and one entry point that picks the reader for a stream.
import { isGzip, maybeGunzip, peekStream, StreamReadError } from './bytes.ts';
import { IssueSink, newStats, type ReaderOptions, type Sample, type ShardRead } from '../formats/shard.ts';
import { checksumOk, isZeroBlock } from '../formats/tarHeader.ts';
import { readTfRecord, tfRecordHeaderOk } from '../formats/tfrecord.ts';
import { readWebDataset } from '../formats/webdataset.ts';

export type ShardFormat = 'tar' | 'tfrecord' | 'parquet' | 'unknown';

export interface Detected {
  /** Container format; for gzip input, what the name suggests ('unknown' when it suggests nothing). */
  format: ShardFormat;
  /** The bytes are gzip (decompress, then detect again on the decompressed bytes). */
  gzip: boolean;
  /** Why, in words. */
  why: string;
}

/** Bytes detectFormat wants to see (a whole tar header block). */
export const DETECT_BYTES = 512;

function formatFromName(fileName: string): ShardFormat {
  const n = fileName.toLowerCase();
  if (/\.(tar|tgz)(\.gz)?$/.test(n)) return 'tar';
  if (/\.parquet$/.test(n)) return 'parquet';
  if (/tfrecord|-of-\d+/.test(n)) return 'tfrecord';
  return 'unknown';
}

/** The format of a file from its first bytes (up to DETECT_BYTES) and its name. */
export function detectFormat(firstBytes: Uint8Array, fileName: string): Detected {
  const byName = formatFromName(fileName);
  if (isGzip(firstBytes)) return { format: byName, gzip: true, why: `gzip data${byName === 'unknown' ? '' : `; the name suggests ${byName}`}` };
  if (firstBytes.length >= 4 && String.fromCharCode(...firstBytes.subarray(0, 4)) === 'PAR1') return { format: 'parquet', gzip: false, why: 'parquet magic "PAR1"' };
  if (firstBytes.length >= 512) {
    const block = firstBytes.subarray(0, 512);
    if (!isZeroBlock(block) && checksumOk(block)) return { format: 'tar', gzip: false, why: 'valid tar header checksum' };
  }
  if (tfRecordHeaderOk(firstBytes)) return { format: 'tfrecord', gzip: false, why: 'valid TFRecord length CRC' };
  if (firstBytes.length >= 262 && String.fromCharCode(...firstBytes.subarray(257, 262)) === 'ustar') {
    return { format: 'tar', gzip: false, why: 'ustar magic (header checksum invalid)' };
  }
  return { format: 'unknown', gzip: false, why: firstBytes.length === 0 ? 'the file is empty' : 'no tar header, TFRecord header, parquet or gzip magic' };
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
