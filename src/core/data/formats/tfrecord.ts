// TFRecord shards of tf.train.Example: framing uint64 LE length | masked crc32c(length) | data |
// masked crc32c(data). The length CRC is always checked (a bad one loses the framing: the rest of
// the shard is skipped); the data CRC by default (a bad one skips the record). Two layouts:
// inception/TPU scripts (`image/encoded`, `image/class/label` 1..1000, `image/class/synset`) and
// TFDS (`image`, `label` 0..999, `file_name`). The synset, where present, decides the class.
import { StreamReadError, type ByteReader } from '../open/bytes.ts';
import { openShard } from '../open/openShard.ts';
import { maskedCrc32c } from './crc32c.ts';
import { synsetFromFileName } from '../labels/labels.ts';
import { decodeExample, ProtoError, type Feature } from './protobuf.ts';
import { resolveClass, type NumericLabel } from '../labels/resolveClass.ts';
import { admit, DEFAULT_MAX_RECORD_BYTES, IssueSink, newStats, type IssueCode, type ReaderOptions, type Sample, type ShardRead } from './shard.ts';

const utf8 = new TextDecoder('utf-8');

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** Whether 12 bytes look like the start of a TFRecord (length and its masked CRC agree). */
export function tfRecordHeaderOk(head: Uint8Array): boolean {
  return head.length >= 12 && maskedCrc32c(head.subarray(0, 8)) === u32le(head, 8);
}

function text(f: Feature | undefined): string | undefined {
  return f?.kind === 'bytes' && f.values.length > 0 ? utf8.decode(f.values[0]) : undefined;
}

function int(f: Feature | undefined): number | undefined {
  return f?.kind === 'int64' && f.values.length > 0 ? f.values[0] : undefined;
}

function image(f: Feature | undefined): Uint8Array | undefined {
  return f?.kind === 'bytes' && f.values.length > 0 ? f.values[0] : undefined;
}

type Extracted = { ok: true; sample: Omit<Sample, 'label' | 'file' | 'offset'> } | { ok: false; code: IssueCode; message: string; key: string };

/** The sample in an Example's features (either layout), before the class subset. */
export function exampleToSample(features: Map<string, Feature>, recordIndex: number): Extracted {
  const inception = features.has('image/encoded');
  const fileName = inception ? text(features.get('image/filename')) : text(features.get('file_name'));
  const key = fileName ?? `#${recordIndex}`;
  const bytes = image(features.get(inception ? 'image/encoded' : 'image'));
  if (!bytes) {
    return { ok: false, code: 'no-image', key, message: 'no image: neither "image/encoded" (inception layout) nor "image" (TFDS layout) holds bytes' };
  }
  const numeric: NumericLabel[] = [];
  let synset: string | undefined;
  if (inception) {
    synset = text(features.get('image/class/synset'));
    const l = int(features.get('image/class/label'));
    if (l !== undefined) numeric.push({ value: l, source: 'image/class/label', convention: 'inception' });
  } else {
    const l = int(features.get('label'));
    if (l !== undefined) numeric.push({ value: l, source: 'label', convention: 'index' });
  }
  if (synset === undefined && fileName !== undefined) synset = synsetFromFileName(fileName);
  const r = resolveClass(synset, numeric);
  if (!r.ok) return { ...r, key };
  const format = inception ? text(features.get('image/format'))?.toLowerCase() : undefined;
  const sample: Omit<Sample, 'label' | 'file' | 'offset'> = { key, image: bytes.slice(), imageExt: format || 'jpeg', classIndex: r.classIndex };
  if (r.synset !== undefined) sample.synset = r.synset;
  return { ok: true, sample };
}

/**
 * Read a TFRecord shard of ImageNet Examples (optionally gzip-compressed). Never throws for bad
 * input: issues go to stats / onIssue and the affected records (or the rest of the shard) are skipped.
 */
export function readTfRecord(stream: ReadableStream<Uint8Array>, opts: ReaderOptions): ShardRead {
  const stats = newStats(opts.file);
  const sink = new IssueSink(stats, opts);
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const verifyData = opts.verifyDataCrc ?? true;

  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    let br: ByteReader | null = null;
    const giveUp = (code: IssueCode, message: string, offset: number, skipped = 0): void => {
      sink.report(code, message, { offset }, skipped);
      stats.abandoned = true;
    };
    try {
      br = await openShard(stream, stats, sink, 'tfrecord');
      if (!br) return;
      try {
        for (let index = 0; ; index++) {
          const offset = br.offset;
          const head = await br.read(12);
          stats.bytes = br.offset;
          if (head.length === 0) {
            if (index === 0) giveUp('empty-file', 'the file is empty', 0);
            return;
          }
          if (head.length < 12) {
            if (index === 0) giveUp('not-tfrecord', `not a TFRecord file: only ${head.length} bytes`, 0);
            else giveUp('truncated', `the file ends inside the header of record ${index} (${head.length} of 12 bytes)`, offset, 1);
            return;
          }
          if (!tfRecordHeaderOk(head)) {
            if (index === 0) giveUp('not-tfrecord', 'not a TFRecord file: the first length CRC does not match', 0);
            else giveUp('length-crc', `length CRC mismatch in the header of record ${index}; the framing is lost and the rest of the file is skipped`, offset, 1);
            return;
          }
          stats.members++;
          const len = u32le(head, 0) + u32le(head, 4) * 4294967296;
          if (len > maxRecordBytes) {
            const skipped = await br.skip(len + 4);
            if (skipped < len + 4) {
              giveUp('truncated', `the file ends inside record ${index} (${len} bytes declared)`, offset, 1);
              return;
            }
            sink.report('record-too-large', `record ${index} of ${len} bytes exceeds the ${maxRecordBytes}-byte limit`, { offset });
            continue;
          }
          const data = await br.read(len);
          const crc = await br.read(4);
          stats.bytes = br.offset;
          stats.peakBufferedBytes = br.maxBuffered;
          if (data.length < len || crc.length < 4) {
            giveUp('truncated', `the file ends inside record ${index} (${data.length} of ${len} data bytes)`, offset, 1);
            return;
          }
          if (verifyData && maskedCrc32c(data) !== u32le(crc, 0)) {
            sink.report('data-crc', `data CRC mismatch in record ${index}; the record is skipped`, { offset });
            continue;
          }
          let features: Map<string, Feature>;
          try {
            features = decodeExample(data);
          } catch (e) {
            if (!(e instanceof ProtoError)) throw e;
            sink.report('example-invalid', `record ${index} is not a valid tf.train.Example: ${e.message}`, { offset });
            continue;
          }
          const x = exampleToSample(features, index);
          if (!x.ok) {
            sink.report(x.code, x.message, { key: x.key, offset });
            continue;
          }
          const label = admit(stats, opts.classes, x.sample.classIndex);
          if (label >= 0) yield { ...x.sample, file: opts.file, offset, label };
        }
      } catch (e) {
        if (!(e instanceof StreamReadError)) throw e;
        giveUp('read-error', e.message, e.offset);
      }
    } finally {
      stats.done = true;
      if (br) {
        stats.bytes = br.offset;
        stats.peakBufferedBytes = br.maxBuffered;
        await br.cancel();
      }
    }
  }

  return { samples: samples(), stats };
}
