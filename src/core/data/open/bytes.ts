// Exact-count reads over a ReadableStream<Uint8Array> (what File.stream() gives) with arbitrary
// chunk boundaries, holding only what the current read needs: at most one read's bytes plus one
// chunk. Also: peeking at a stream's first bytes without losing them, and transparent gunzip.
import { errorMessage } from '../../errors.ts';

/** The underlying stream failed (file read error, corrupt gzip): the rest of the shard is lost. */
export class StreamReadError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'StreamReadError';
  }
}

export class ByteReader {
  /** Bytes consumed so far (returned by read or skipped): the offset of the next byte. */
  offset = 0;
  /** Largest number of bytes ever queued inside the reader (instrumentation for memory tests). */
  maxBuffered = 0;
  private readonly chunks: Uint8Array[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  private buffered = 0;
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  static of(stream: ReadableStream<Uint8Array>): ByteReader {
    return new ByteReader(stream.getReader());
  }

  /** Next chunk from the stream, or null at the end. Stream errors become StreamReadError. */
  private async next(): Promise<Uint8Array | null> {
    if (this.ended) return null;
    let r: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
    try {
      r = await this.reader.read();
    } catch (e) {
      this.ended = true;
      const why = errorMessage(e);
      throw new StreamReadError(`stream read failed after byte ${this.offset + this.buffered}: ${why}`, this.offset + this.buffered);
    }
    if (r.done) {
      this.ended = true;
      return null;
    }
    return r.value;
  }

  /** Queue chunks until `n` bytes are buffered or the stream ends. */
  private async fill(n: number): Promise<void> {
    while (this.buffered < n) {
      const c = await this.next();
      if (c === null) return;
      if (c.length === 0) continue;
      this.chunks.push(c);
      this.buffered += c.length;
      if (this.buffered > this.maxBuffered) this.maxBuffered = this.buffered;
    }
  }

  /** Copy the first `n` (<= buffered) queued bytes into `out`, optionally consuming them. */
  private copyOut(n: number, out: Uint8Array | null, consume: boolean): void {
    let ci = 0;
    let pos = this.head;
    let done = 0;
    while (done < n) {
      const c = this.chunks[ci];
      const take = Math.min(c.length - pos, n - done);
      if (out) out.set(c.subarray(pos, pos + take), done);
      done += take;
      pos += take;
      if (pos === c.length) {
        ci++;
        pos = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, ci);
      this.head = pos;
      this.buffered -= n;
      this.offset += n;
    }
  }

  /**
   * Exactly `n` bytes in a new buffer, or fewer only when the stream ended first (then everything
   * that was left). Rejects with StreamReadError if the stream fails.
   */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const m = Math.min(n, this.buffered);
    const out = new Uint8Array(m);
    this.copyOut(m, out, true);
    return out;
  }

  /** The next `n` bytes (fewer at the end) without consuming them. */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const m = Math.min(n, this.buffered);
    const out = new Uint8Array(m);
    this.copyOut(m, out, false);
    return out;
  }

  /** Discard `n` bytes without holding them; returns how many were skipped (fewer at the end). */
  async skip(n: number): Promise<number> {
    const fromQueue = Math.min(n, this.buffered);
    this.copyOut(fromQueue, null, true);
    let left = n - fromQueue;
    while (left > 0) {
      const c = await this.next();
      if (c === null) break;
      if (c.length <= left) {
        left -= c.length;
        this.offset += c.length;
      } else {
        this.offset += left;
        this.chunks.push(c);
        this.head = left;
        this.buffered = c.length - left;
        if (c.length > this.maxBuffered) this.maxBuffered = c.length;
        left = 0;
      }
    }
    return n - left;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.buffered === 0;
  }

  /** Stop reading: cancel the underlying stream (errors ignored) and drop the queue. */
  async cancel(): Promise<void> {
    this.chunks.length = 0;
    this.buffered = 0;
    this.head = 0;
    this.ended = true;
    try {
      await this.reader.cancel();
    } catch {
      // already errored or closed
    }
  }
}

/** `chunks` followed by the rest of `reader`, as one stream. */
function prepend(chunks: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i < chunks.length) {
        controller.enqueue(chunks[i++]);
        return;
      }
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * The first `n` bytes of a stream (fewer if it is shorter) and a stream that still yields every
 * byte. A failing stream rejects (the error is the stream's own).
 */
export async function peekStream(stream: ReadableStream<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let have = 0;
  while (have < n) {
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    have += r.value.length;
  }
  const head = new Uint8Array(Math.min(n, have));
  let at = 0;
  for (const c of chunks) {
    if (at >= head.length) break;
    const take = Math.min(c.length, head.length - at);
    head.set(c.subarray(0, take), at);
    at += take;
  }
  return { head, stream: prepend(chunks, reader) };
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The stream decompressed when it starts with the gzip magic 1f 8b (DecompressionStream('gzip'),
 * global in browsers, workers and Node >= 18), else unchanged. Peeking errors are thrown as
 * StreamReadError.
 */
export async function maybeGunzip(stream: ReadableStream<Uint8Array>): Promise<{ stream: ReadableStream<Uint8Array>; gzip: boolean }> {
  let peeked: { head: Uint8Array; stream: ReadableStream<Uint8Array> };
  try {
    peeked = await peekStream(stream, 2);
  } catch (e) {
    throw new StreamReadError(`stream read failed at the start: ${errorMessage(e)}`, 0);
  }
  if (!isGzip(peeked.head)) return { stream: peeked.stream, gzip: false };
  // The cast: lib typings disagree on DecompressionStream's chunk types (BufferSource in, Uint8Array
  // out); at run time it takes and gives Uint8Array.
  const gunzip = new DecompressionStream('gzip') as unknown as { writable: WritableStream<Uint8Array>; readable: ReadableStream<Uint8Array> };
  return { stream: peeked.stream.pipeThrough(gunzip), gzip: true };
}
