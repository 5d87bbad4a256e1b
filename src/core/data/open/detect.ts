// Which reader a dropped file needs, from its first bytes (the content decides; the name only breaks
// ties). readShard.ts hands the file to that reader.
import { isGzip } from './bytes.ts';
import { checksumOk, isZeroBlock } from '../formats/tarHeader.ts';
import { tfRecordHeaderOk } from '../formats/tfrecord.ts';

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
