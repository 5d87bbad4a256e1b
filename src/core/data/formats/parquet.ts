// Hugging Face ImageNet parquet (`image` struct {bytes, path}, `label` int64, test rows -1) read
// with hyparquet row group by row group over FileLike slices: the footer first, then one row group
// (the `image` and `label` column chunks) at a time, so memory is one row group. Yields the same
// Samples, stats and DataIssues as the tar and TFRecord readers.
import { parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import type { FileLike } from '../open/fileLike.ts';
import { LIMITS } from '../../limits.ts';
import { synsetFromFileName } from '../labels/labels.ts';
import { resolveClass, type NumericLabel } from '../labels/resolveClass.ts';
import { admit, DEFAULT_MAX_RECORD_BYTES, IssueSink, newStats, type ReaderOptions, type Sample, type ShardRead } from './shard.ts';
import { errorMessage } from '../../errors.ts';

/** Codecs hyparquet decodes without extra decompressors (HF writes SNAPPY, pyarrow's default). */
export const PARQUET_CODECS: readonly string[] = ['UNCOMPRESSED', 'SNAPPY'];

const MAGIC = 'PAR1';

function isMagic(buf: ArrayBuffer): boolean {
  const b = new Uint8Array(buf);
  return b.length === 4 && String.fromCharCode(b[0], b[1], b[2], b[3]) === MAGIC;
}

/** Where the image bytes and label live: the HF struct `image.bytes`, or a plain binary `image`. */
function checkSchema(md: FileMetaData): string | null {
  const names = new Set(md.schema.slice(1).map((s) => s.name));
  if (!names.has('image')) return `no "image" column (columns: ${[...names].join(', ')})`;
  if (!names.has('label')) return `no "label" column (columns: ${[...names].join(', ')})`;
  return null;
}

type Row = { image?: unknown; label?: unknown };

/** The image bytes and path of a row's `image` cell (struct {bytes, path} or plain bytes). */
function imageOf(cell: unknown): { bytes?: Uint8Array; path?: string } {
  if (cell instanceof Uint8Array) return { bytes: cell };
  if (cell !== null && typeof cell === 'object') {
    const o = cell as Record<string, unknown>;
    const out: { bytes?: Uint8Array; path?: string } = {};
    if (o.bytes instanceof Uint8Array) out.bytes = o.bytes;
    if (typeof o.path === 'string') out.path = o.path;
    return out;
  }
  return {};
}

/**
 * Read a Hugging Face ImageNet parquet file. Never throws for bad input: a file that is not
 * parquet, an unreadable footer, a missing column, a row group with a codec hyparquet cannot
 * decode (GZIP, ZSTD, ... without extra decompressors) or a corrupt row group, and bad rows (no
 * image, label -1 of the test split, out of range) each become a DataIssue naming the file and the
 * row; the rest goes on. `Sample.offset` is the row index (parquet has no per-row byte offset).
 */
export function readParquet(file: FileLike, opts: ReaderOptions): ShardRead {
  const stats = newStats(opts.file);
  const sink = new IssueSink(stats, opts);
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const giveUp = (code: 'empty-file' | 'not-parquet' | 'parquet-invalid' | 'read-error', message: string): void => {
    sink.report(code, message, { offset: 0 }, 0);
    stats.abandoned = true;
  };

  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    try {
      if (file.size === 0) return giveUp('empty-file', 'the file is empty');
      if (file.size < 12) return giveUp('not-parquet', `not a parquet file: only ${file.size} bytes`);
      let md: FileMetaData;
      try {
        const [head, tail] = await Promise.all([file.slice(0, 4), file.slice(file.size - 4, file.size)]);
        if (!isMagic(head) || !isMagic(tail)) return giveUp('not-parquet', 'not a parquet file: no "PAR1" magic at the start and end');
        // The footer length (u32 before the final magic) is checked before anything reads that far.
        const footerLength = new DataView(await file.slice(file.size - 8, file.size)).getUint32(0, true);
        if (footerLength + 12 > file.size) return giveUp('parquet-invalid', `the footer length ${footerLength} is past the file's ${file.size} bytes`);
        if (footerLength > LIMITS.maxParquetFooterBytes) return giveUp('parquet-invalid', `the footer length ${footerLength} exceeds the ${LIMITS.maxParquetFooterBytes}-byte limit (maxParquetFooterBytes)`);
        md = await parquetMetadataAsync({ byteLength: file.size, slice: (s, e) => file.slice(s, e ?? file.size) });
      } catch (e) {
        return giveUp('parquet-invalid', `the parquet footer cannot be read: ${errorMessage(e)}`);
      }
      stats.format = 'parquet';
      const bad = checkSchema(md);
      if (bad) return giveUp('parquet-invalid', `not the Hugging Face image layout: ${bad}`);
      const asyncFile = { byteLength: file.size, slice: (s: number, e?: number) => file.slice(s, e ?? file.size) };
      let rowStart = 0;
      for (let g = 0; g < md.row_groups.length; g++) {
        const group = md.row_groups[g];
        const numRows = Number(group.num_rows);
        const rowEnd = rowStart + numRows;
        const groupBytes = group.columns.reduce((n, c) => n + Number(c.meta_data?.total_compressed_size ?? 0), 0);
        const badCodec = group.columns.map((c) => c.meta_data).find((m) => m && !PARQUET_CODECS.includes(m.codec));
        if (badCodec) {
          sink.report('unsupported-codec', `row group ${g} (rows ${rowStart}..${rowEnd - 1}): column "${badCodec.path_in_schema.join('.')}" uses codec ${badCodec.codec}; supported: ${PARQUET_CODECS.join(', ')}`, {}, numRows);
          stats.members += numRows;
          rowStart = rowEnd;
          continue;
        }
        if (groupBytes > maxRecordBytes * 4) {
          sink.report('record-too-large', `row group ${g} of ${groupBytes} bytes exceeds the ${maxRecordBytes * 4}-byte limit (4 x maxRecordBytes)`, {}, numRows);
          stats.members += numRows;
          rowStart = rowEnd;
          continue;
        }
        let rows: Row[];
        try {
          rows = (await parquetReadObjects({ file: asyncFile, metadata: md, columns: ['image', 'label'], rowStart, rowEnd, utf8: false })) as Row[];
        } catch (e) {
          sink.report('row-invalid', `row group ${g} (rows ${rowStart}..${rowEnd - 1}) cannot be decoded: ${errorMessage(e)}`, {}, numRows);
          stats.members += numRows;
          rowStart = rowEnd;
          continue;
        }
        stats.bytes += groupBytes;
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, groupBytes);
        for (let i = 0; i < rows.length; i++) {
          const s = rowToSample(rows[i], rowStart + i);
          stats.members++;
          if (s) yield s;
        }
        rowStart = rowEnd;
      }
    } catch (e) {
      // A FileLike slice that rejects mid-file (hyparquet passes it through).
      giveUp('read-error', `reading failed: ${errorMessage(e)}`);
    } finally {
      stats.done = true;
    }
  }

  function rowToSample(row: Row, index: number): Sample | null {
    const { bytes, path } = imageOf(row.image);
    const key = path ?? `#${index}`;
    const at = { key }; // the message says the row; DataIssue.offset is a byte offset, which a row has not
    if (!bytes || bytes.length === 0) {
      sink.report('no-image', `row ${index}: no image bytes`, at);
      return null;
    }
    const numeric: NumericLabel[] = [];
    const l = row.label;
    if (l === -1n || l === -1) {
      sink.report('no-label', `row ${index}: label -1 (a test-split row carries no label)`, at);
      return null;
    }
    if (typeof l === 'bigint' || typeof l === 'number') numeric.push({ value: Number(l), source: 'label', convention: 'index' });
    const r = resolveClass(path === undefined ? undefined : synsetFromFileName(path), numeric);
    if (!r.ok) {
      sink.report(r.code, `row ${index}: ${r.message}`, at);
      return null;
    }
    const label = admit(stats, opts.classes, r.classIndex);
    if (label < 0) return null;
    const ext = path?.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : 'jpeg';
    const sample: Sample = { file: opts.file, key, image: bytes.slice(), imageExt: ext || 'jpeg', classIndex: r.classIndex, label, offset: index };
    if (r.synset !== undefined) sample.synset = r.synset;
    return sample;
  }

  return { samples: samples(), stats };
}
