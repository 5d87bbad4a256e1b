// Opening a shard's byte stream, the first step of the stream readers (WebDataset tar, TFRecord);
// readShard.ts is the entry point that picks the reader.
import { ByteReader, maybeGunzip, StreamReadError } from './bytes.ts';
import type { IssueSink, ShardStats } from '../formats/shard.ts';

/**
 * Gunzip the stream when it starts with the gzip magic and wrap it in a ByteReader. A stream that
 * fails while being opened is reported as `read-error`, the shard is marked abandoned, and the
 * result is null (nothing is thrown for bad input).
 */
export async function openShard(stream: ReadableStream<Uint8Array>, stats: ShardStats, sink: IssueSink, format: 'tar' | 'tfrecord'): Promise<ByteReader | null> {
  let opened;
  try {
    opened = await maybeGunzip(stream);
  } catch (e) {
    if (!(e instanceof StreamReadError)) throw e;
    sink.report('read-error', e.message, { offset: 0 }, 0);
    stats.abandoned = true;
    return null;
  }
  stats.compressed ||= opened.gzip;
  stats.format = format;
  return ByteReader.of(opened.stream);
}
