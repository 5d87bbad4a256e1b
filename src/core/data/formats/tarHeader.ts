// One 512-byte tar header block: checksum, numeric fields (octal or base-256), names (ustar
// prefix), and PAX extended-header records. Pure functions over bytes; no stream handling.

export const BLOCK = 512;

const utf8 = new TextDecoder('utf-8');

/** A NUL-terminated string field [start, end) as UTF-8. */
function cString(block: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && block[e] !== 0) e++;
  return utf8.decode(block.subarray(start, e));
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/**
 * A numeric field: octal ASCII (leading/trailing spaces and NULs allowed), or GNU base-256 when the
 * high bit of the first byte is set (big-endian, two's complement; the rest of the first byte is
 * the top bits). null when malformed; negative base-256 values are returned as they are.
 */
export function parseNumeric(field: Uint8Array): number | null {
  if (field.length > 0 && field[0] & 0x80) {
    const negative = (field[0] & 0x40) !== 0;
    let v = negative ? (field[0] & 0x7f) - 0x80 : field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i];
    return Number.isSafeInteger(v) ? v : null;
  }
  let i = 0;
  while (i < field.length && (field[i] === 0x20 || field[i] === 0)) i++;
  let v = 0;
  let digits = 0;
  for (; i < field.length; i++) {
    const c = field[i];
    if (c >= 0x30 && c <= 0x37) {
      v = v * 8 + (c - 0x30);
      digits++;
    } else break;
  }
  for (; i < field.length; i++) if (field[i] !== 0x20 && field[i] !== 0) return null;
  return digits === 0 ? 0 : v;
}

/**
 * Checksum at [148,156): the sum of all header bytes with the checksum field taken as spaces.
 * Unsigned bytes per POSIX; signed bytes accepted too, as GNU tar and Python do.
 */
export function checksumOk(block: Uint8Array): boolean {
  const stored = parseNumeric(block.subarray(148, 156));
  if (stored === null) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

export interface TarHeader {
  /** Name with the POSIX ustar prefix prepended (not yet overridden by PAX / GNU long names). */
  name: string;
  /** Size field (bytes of data that follow, before PAX override). */
  size: number;
  /** Type flag as a one-character string; NUL is reported as '0'. */
  type: string;
  /** 'posix' (magic "ustar\0"), 'gnu' ("ustar  \0") or 'v7' (no magic). */
  flavour: 'posix' | 'gnu' | 'v7';
}

function magic(block: Uint8Array): TarHeader['flavour'] {
  const m = String.fromCharCode(...block.subarray(257, 265));
  if (m.startsWith('ustar\0')) return 'posix';
  if (m === 'ustar  \0') return 'gnu';
  return 'v7';
}

/** Fields of a header block whose checksum is already verified; a string error when malformed. */
export function parseHeader(block: Uint8Array): TarHeader | string {
  const size = parseNumeric(block.subarray(124, 136));
  if (size === null) return 'size field is not an octal or base-256 number';
  if (size < 0) return `size field is negative (${size})`;
  const flavour = magic(block);
  let name = cString(block, 0, 100);
  if (flavour === 'posix') {
    const prefix = cString(block, 345, 500);
    if (prefix) name = `${prefix}/${name}`;
  }
  const t = block[156];
  return { name, size, type: t === 0 ? '0' : String.fromCharCode(t), flavour };
}

/** Regular-file types ('7' is contiguous file). */
export function isRegularType(type: string): boolean {
  return type === '0' || type === '7';
}

/**
 * Bytes of data after a header of this type. Like Python's tarfile: regular files and unknown types
 * carry `size` bytes; links, devices, FIFOs and directories carry none whatever the field says.
 */
export function dataSize(type: string, size: number): number {
  return '123456'.includes(type) && type.length === 1 ? 0 : size;
}

/** Bytes of zero padding after `size` bytes of data. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/**
 * PAX extended-header records: "%d key=value\n" where %d counts the whole record in bytes. Returns
 * the key/value map, or a string error on a malformed record.
 */
export function parsePax(data: Uint8Array): Map<string, string> | string {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // NUL padding after the last record
    let len = 0;
    let p = pos;
    while (p < data.length && data[p] >= 0x30 && data[p] <= 0x39) len = len * 10 + (data[p++] - 0x30);
    if (p === pos || data[p] !== 0x20) return `malformed PAX record at byte ${pos} of the extended header`;
    const end = pos + len;
    if (len <= p - pos + 1 || end > data.length || data[end - 1] !== 0x0a) return `PAX record at byte ${pos} has a bad length ${len}`;
    const rec = utf8.decode(data.subarray(p + 1, end - 1));
    const eq = rec.indexOf('=');
    if (eq <= 0) return `PAX record at byte ${pos} has no key=value`;
    out.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos = end;
  }
  return out;
}
