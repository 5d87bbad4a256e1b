// A file the readers can slice: what a browser File gives (`{name, size, slice(a, b).arrayBuffer()}`)
// and what the Node CLI builds over a file handle. Parquet needs random access (its footer is at
// the end); tar and TFRecord are read as a stream of slices, so one shape serves every format.

export interface FileLike {
  /** File name (or relative path), used in every message. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Bytes [start, end) (end clamped to size). Rejects when the file cannot be read. */
  slice(start: number, end: number): Promise<ArrayBuffer>;
}

/** Default slice size of fileLikeStream: large enough to amortise a slice, small next to a shard. */
export const STREAM_CHUNK_BYTES = 1 << 20;

/**
 * The file as a pull stream of `chunkBytes` slices (one slice in flight, so memory is one chunk).
 * A rejected slice errors the stream, which the readers report as `read-error`.
 */
export function fileLikeStream(file: FileLike, chunkBytes = STREAM_CHUNK_BYTES): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pos >= file.size) {
        controller.close();
        return;
      }
      const buf = await file.slice(pos, Math.min(file.size, pos + chunkBytes));
      pos += buf.byteLength; // a short slice (a file that shrank) continues from where it ended
      if (buf.byteLength === 0) controller.close();
      else controller.enqueue(new Uint8Array(buf));
    },
  });
}

/** The whole file (for one image of an ImageFolder; never for a shard). */
export async function readWhole(file: FileLike): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, file.size));
}

/** An in-memory FileLike (tests, fixtures, small buffers). */
export function bytesFile(name: string, bytes: Uint8Array): FileLike {
  return {
    name,
    size: bytes.length,
    slice: (start, end) => {
      const s = Math.max(0, Math.min(start, bytes.length));
      const e = Math.max(s, Math.min(end, bytes.length));
      return Promise.resolve(bytes.slice(s, e).buffer as ArrayBuffer);
    },
  };
}

/** What a browser File / Blob offers (structurally typed, so src/core needs no DOM library). */
export interface BlobLike {
  readonly name: string;
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A browser File as a FileLike. */
export function blobFile(file: BlobLike, name = file.name): FileLike {
  return { name, size: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
}
