// WebDataset samples from a tar (or .tar.gz) stream, grouped exactly as webdataset's
// group_by_keys: key = directories + basename up to its first dot, extension = the rest lower-cased;
// only consecutive members group; names with no dot and top-level `__x__` entries are skipped; a
// repeated extension within one key is an error for that sample. Labels from `.cls` or timm's
// `.json` (synset from its `filename`), image = the member whose last extension is an image type.
import type { ByteReader } from '../open/bytes.ts';
import { openShard } from '../open/openShard.ts';
import { synsetFromFileName } from '../labels/labels.ts';
import { resolveClass, type NumericLabel } from '../labels/resolveClass.ts';
import { admit, DEFAULT_MAX_RECORD_BYTES, IssueSink, newStats, type ReaderOptions, type Sample, type ShardRead } from './shard.ts';
import { tarMembers } from './tar.ts';
import { IMAGE_EXTS } from '../images/imageKind.ts';

const LABEL_EXTS = ['cls', 'json'];

// webdataset's base_plus_ext: r"^((?:.*/|)[^.]+)[.]([^/]*)$"
const KEY_EXT = /^((?:.*\/|)[^.]+)[.]([^/]*)$/;

/** [key, extension lower-cased] of a member name, or null when webdataset skips it. */
export function splitKey(name: string): [string, string] | null {
  if (!name.includes('/') && name.startsWith('__') && name.endsWith('__')) return null;
  const m = KEY_EXT.exec(name);
  return m ? [m[1], m[2].toLowerCase()] : null;
}

function lastExt(ext: string): string {
  return ext.slice(ext.lastIndexOf('.') + 1);
}

function wanted(name: string): boolean {
  const ke = splitKey(name);
  if (!ke) return false;
  return LABEL_EXTS.includes(ke[1]) || IMAGE_EXTS.includes(lastExt(ke[1]));
}

interface Group {
  key: string;
  offset: number;
  members: Map<string, Uint8Array | null>;
  /** First problem found while collecting (the group is dropped at flush with this issue). */
  bad: { code: 'repeated-extension' | 'record-too-large'; message: string } | null;
}

const ascii = new TextDecoder('utf-8');

type Built = { ok: true; sample: Omit<Sample, 'label'> } | { ok: false; code: Parameters<IssueSink['report']>[0]; message: string };

/** Turn a complete group into a sample (before the class subset), or say why not. */
function build(file: string, g: Group): Built {
  let imageExt: string | undefined;
  for (const ext of g.members.keys()) {
    if (IMAGE_EXTS.includes(ext)) {
      imageExt = ext;
      break;
    }
    if (imageExt === undefined && IMAGE_EXTS.includes(lastExt(ext))) imageExt = ext;
  }
  if (imageExt === undefined) return { ok: false, code: 'no-image', message: `no image member (extensions: ${[...g.members.keys()].join(', ') || 'none'})` };
  const numeric: NumericLabel[] = [];
  let synset: string | undefined;
  const cls = g.members.get('cls');
  if (cls) {
    const text = ascii.decode(cls);
    if (!/^\s*[-+]?\d+\s*$/.test(text)) return { ok: false, code: 'label-invalid', message: `.cls "${text.slice(0, 40)}" is not a decimal integer` };
    numeric.push({ value: Number(text.trim()), source: '.cls', convention: 'index' });
  }
  const json = g.members.get('json');
  if (json) {
    let meta: unknown;
    try {
      meta = JSON.parse(ascii.decode(json));
    } catch {
      return { ok: false, code: 'label-invalid', message: '.json is not valid JSON' };
    }
    if (meta !== null && typeof meta === 'object') {
      const o = meta as Record<string, unknown>;
      if (typeof o.filename === 'string') synset = synsetFromFileName(o.filename);
      if (o.label !== undefined) {
        if (typeof o.label !== 'number') return { ok: false, code: 'label-invalid', message: `.json label ${JSON.stringify(o.label)} is not a number` };
        numeric.push({ value: o.label, source: '.json', convention: 'index' });
      }
    }
  }
  const r = resolveClass(synset, numeric);
  if (!r.ok) return r;
  const image = g.members.get(imageExt);
  if (!image) return { ok: false, code: 'no-image', message: `image member .${imageExt} was not read` };
  const sample: Omit<Sample, 'label'> = { file, key: g.key, image, imageExt: lastExt(imageExt), classIndex: r.classIndex, offset: g.offset };
  if (r.synset !== undefined) sample.synset = r.synset;
  return { ok: true, sample };
}

/**
 * Read a WebDataset shard (.tar or .tar.gz). Never throws for bad input: issues go to
 * stats / onIssue and the affected samples (or the rest of the shard) are skipped.
 */
export function readWebDataset(stream: ReadableStream<Uint8Array>, opts: ReaderOptions): ShardRead {
  const stats = newStats(opts.file);
  const sink = new IssueSink(stats, opts);
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;

  async function* samples(): AsyncGenerator<Sample, void, undefined> {
    let br: ByteReader | null = null;
    try {
      br = await openShard(stream, stats, sink, 'tar');
      if (!br) return;
      const reader = br;
      let group: Group | null = null;

      const flush = (g: Group): Sample | null => {
        if (g.bad) {
          sink.report(g.bad.code, g.bad.message, { key: g.key, offset: g.offset });
          return null;
        }
        const b = build(opts.file, g);
        if (!b.ok) {
          sink.report(b.code, b.message, { key: g.key, offset: g.offset });
          return null;
        }
        const label = admit(stats, opts.classes, b.sample.classIndex);
        return label < 0 ? null : { ...b.sample, label };
      };

      for await (const ev of tarMembers(reader, sink, { wantData: wanted, maxRecordBytes })) {
        stats.bytes = reader.offset;
        stats.peakBufferedBytes = reader.maxBuffered;
        if (ev.kind === 'abort') {
          // The member being read when the archive ended, if its header was whole: if it belongs to
          // the pending sample, that sample is cut; otherwise the pending sample is whole.
          const cut = ev.name === undefined ? null : splitKey(ev.name);
          if (group && (!cut || cut[0] !== group.key)) {
            const s = flush(group);
            group = null;
            if (s) yield s;
          }
          const key = group?.key ?? cut?.[0];
          if (key !== undefined) sink.report(ev.code, `${ev.message}; the sample is incomplete and skipped`, { key, offset: ev.offset });
          else sink.report(ev.code, ev.message, { offset: ev.offset }, 0);
          group = null;
          break;
        }
        const ke = splitKey(ev.name);
        if (!ke) continue;
        const [key, ext] = ke;
        if (!group || group.key !== key) {
          if (group) {
            const s = flush(group);
            if (s) yield s;
          }
          group = { key, offset: ev.offset, members: new Map(), bad: null };
        }
        if (group.members.has(ext)) {
          group.bad ??= { code: 'repeated-extension', message: `extension ".${ext}" occurs twice in one sample (only consecutive members with the same key group)` };
          continue;
        }
        group.members.set(ext, ev.data);
        if (ev.tooLarge) group.bad ??= { code: 'record-too-large', message: `member "${ev.name}" of ${ev.size} bytes exceeds the ${maxRecordBytes}-byte limit` };
      }
      if (group) {
        const s = flush(group);
        if (s) yield s;
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
