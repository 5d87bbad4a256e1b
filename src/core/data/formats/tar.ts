// Tar members from a ByteReader: PAX `x` (per member) and `g` (global) records with `path` and
// `size` overrides, GNU `L`/`K` long names, the ustar prefix, base-256 sizes, verified header
// checksums. A bad header after the first is skipped by scanning forward to the next valid header;
// a bad first header means the file is not a tar; a truncated file or a failing stream ends the
// archive with an `abort` event. Memory: one member's data, and only for members the caller wants.
import { StreamReadError, type ByteReader } from '../open/bytes.ts';
import type { IssueCode, IssueSink } from './shard.ts';
import { BLOCK, checksumOk, dataSize, isRegularType, isZeroBlock, padding, parseHeader, parsePax } from './tarHeader.ts';

export interface TarFile {
  kind: 'file';
  /** Full member name (PAX path, GNU long name or ustar prefix applied). */
  name: string;
  size: number;
  /** Offset of the member's first header (its PAX / long-name header if any). */
  offset: number;
  /** The data, when wanted and no larger than maxRecordBytes; else null (data skipped). */
  data: Uint8Array | null;
  /** True when the data was wanted but skipped for exceeding maxRecordBytes. */
  tooLarge: boolean;
}

/** The archive ends abnormally here; the issue is for the caller to report (it knows the sample). */
export interface TarAbort {
  kind: 'abort';
  code: IssueCode;
  message: string;
  offset: number;
  /** The member being read when the archive ended, when its header was read whole. */
  name?: string;
}

export type TarEvent = TarFile | TarAbort;

export interface TarOptions {
  /** Whether to read a regular member's data into memory (otherwise it is skipped). */
  wantData: (name: string) => boolean;
  maxRecordBytes: number;
}

/** Scan forward block by block to the next header with a valid checksum; null at the end. */
async function resync(br: ByteReader): Promise<{ block: Uint8Array; offset: number } | null> {
  for (;;) {
    const offset = br.offset;
    const block = await br.read(BLOCK);
    if (block.length < BLOCK) return null;
    if (!isZeroBlock(block) && checksumOk(block)) return { block, offset };
  }
}

/** Regular-file members of a tar stream, in order; non-file members are consumed and counted. */
export async function* tarMembers(br: ByteReader, sink: IssueSink, opts: TarOptions): AsyncGenerator<TarEvent, void, undefined> {
  const stats = sink.stats;
  let globalPax = new Map<string, string>();
  let localPax: Map<string, string> | null = null;
  let longName: string | null = null;
  let memberStart = -1; // offset of the first extension header of the pending member
  let first = true;
  let carried: { block: Uint8Array; offset: number } | null = null;

  const abort = (code: IssueCode, message: string, offset: number, name?: string): TarAbort => {
    stats.abandoned = true;
    return name === undefined ? { kind: 'abort', code, message, offset } : { kind: 'abort', code, message, offset, name };
  };

  try {
    for (;;) {
      let offset: number;
      let block: Uint8Array;
      if (carried) {
        ({ offset, block } = carried);
        carried = null;
      } else {
        offset = br.offset;
        block = await br.read(BLOCK);
      }
      if (block.length === 0) {
        if (first) yield abort('empty-file', 'the file is empty', 0);
        else if (localPax || longName !== null) yield abort('truncated', 'the file ends after an extended header, before its member', offset);
        return; // a missing end-of-archive marker at a member boundary is tolerated
      }
      if (block.length < BLOCK) {
        yield abort('truncated', `the file ends inside a tar header (${block.length} of 512 bytes)`, offset);
        return;
      }
      if (isZeroBlock(block)) {
        if (first) {
          yield abort('not-tar', 'not a tar archive: the first 512-byte block is all zeros', 0);
          return;
        }
        const nextOffset = br.offset;
        const next = await br.read(BLOCK);
        if (next.length < BLOCK || isZeroBlock(next)) return; // end of archive (rest is padding)
        carried = { block: next, offset: nextOffset }; // a lone zero block: ignore it
        continue;
      }
      const header = checksumOk(block) ? parseHeader(block) : 'header checksum mismatch';
      if (typeof header === 'string') {
        if (first) {
          yield abort('not-tar', `not a tar archive: the first 512-byte header is invalid (${header})`, 0);
          return;
        }
        const found = await resync(br);
        const lost = localPax || longName !== null ? ' (and the extended header before it)' : '';
        localPax = null;
        longName = null;
        memberStart = -1;
        const code: IssueCode = header === 'header checksum mismatch' ? 'header-checksum' : 'header-invalid';
        if (!found) {
          sink.report(code, `${header} in the tar header at byte ${offset}; no valid header follows, the rest of the file is skipped${lost}`, { offset }, 0);
          stats.abandoned = true;
          return;
        }
        sink.report(code, `${header} in the tar header at byte ${offset}; skipped ${found.offset - offset} bytes to the next valid header at byte ${found.offset}${lost}`, { offset }, 0);
        carried = found;
        continue;
      }
      first = false;
      stats.members++;
      if (memberStart < 0) memberStart = offset;
      const { type } = header;
      let size = header.size;
      if (!'xgLK'.includes(type)) {
        const pax = localPax ? new Map([...globalPax, ...localPax]) : globalPax;
        const paxSize = pax.get('size');
        if (paxSize !== undefined) {
          if (/^\d+$/.test(paxSize)) size = Number(paxSize);
          else sink.report('pax-invalid', `PAX size "${paxSize}" is not a decimal number; the header's size is used`, { offset }, 0);
        }
      }
      const n = dataSize(type, size);

      if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
        if (n > opts.maxRecordBytes) {
          yield abort('record-too-large', `extended header of ${n} bytes at byte ${offset} exceeds the ${opts.maxRecordBytes}-byte limit`, offset);
          return;
        }
        const data = await br.read(n);
        if (data.length < n) {
          yield abort('truncated', `the file ends inside an extended header (${data.length} of ${n} bytes)`, offset);
          return;
        }
        await br.skip(padding(n));
        if (type === 'L') longName = new TextDecoder().decode(data).replace(/\0+$/, '');
        else if (type === 'x' || type === 'g') {
          const recs = parsePax(data);
          if (typeof recs === 'string') sink.report('pax-invalid', `${recs}; its records are ignored`, { offset }, 0);
          else if (type === 'x') localPax = recs;
          else globalPax = new Map([...globalPax, ...recs]);
        }
        continue; // 'K' (long link name) is consumed and not needed
      }

      const pax = localPax ? new Map([...globalPax, ...localPax]) : globalPax;
      const name = pax.get('path') ?? longName ?? header.name;
      const start = memberStart;
      localPax = null;
      longName = null;
      memberStart = -1;

      if (!isRegularType(type)) {
        // directories, links, devices (no data) and unknown types (data skipped, as tarfile does)
        const skipped = await br.skip(n + padding(n));
        if (skipped < n) {
          yield abort('truncated', `the file ends inside member "${name}" (${skipped} of ${n} bytes)`, start, name);
          return;
        }
        continue;
      }
      const want = opts.wantData(name);
      const tooLarge = want && n > opts.maxRecordBytes;
      let data: Uint8Array | null = null;
      if (want && !tooLarge) {
        data = await br.read(n);
        if (data.length < n) {
          yield abort('truncated', `the file ends inside member "${name}" (${data.length} of ${n} bytes)`, start, name);
          return;
        }
      } else {
        const skipped = await br.skip(n);
        if (skipped < n) {
          yield abort('truncated', `the file ends inside member "${name}" (${skipped} of ${n} bytes)`, start, name);
          return;
        }
      }
      await br.skip(padding(n)); // a file cut inside the final padding still has its member whole
      yield { kind: 'file', name, size: n, offset: start, data, tooLarge };
    }
  } catch (e) {
    if (!(e instanceof StreamReadError)) throw e;
    yield abort('read-error', e.message, e.offset);
  }
}
