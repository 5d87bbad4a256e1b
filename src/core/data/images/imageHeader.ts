// What an encoded image says about itself before anything decodes it: its size from the header
// (JPEG SOF marker, PNG IHDR, GIF, BMP, WebP), checked against LIMITS.maxImagePixels, and for PNG
// every chunk's CRC. Both decoders (jpeg-js/fast-png in Node, createImageBitmap in the worker) call
// checkEncodedImage first, so a 100-kB PNG that claims 30000 x 30000 pixels costs a message, not
// gigabytes, and a PNG with a damaged chunk is skipped with the chunk named.
import { checkImagePixels } from '../../limits.ts';
import { crc32 } from '../../train/checkpointCodec.ts';
import { sniffImage } from './imageKind.ts';

const u16be = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const u32be = (b: Uint8Array, i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const u16le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const i32le = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);

/** Width and height from the header, or null when the header does not say (the decoder then reports). */
export function imageDimensions(b: Uint8Array): { width: number; height: number } | null {
  const kind = sniffImage(b);
  if (kind === 'png') return b.length >= 24 ? { width: u32be(b, 16), height: u32be(b, 20) } : null;
  if (kind === 'gif') return b.length >= 10 ? { width: u16le(b, 6), height: u16le(b, 8) } : null;
  if (kind === 'bmp') return b.length >= 26 ? { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) } : null;
  if (kind === 'webp') return webpDimensions(b);
  if (kind === 'jpeg') return jpegDimensions(b);
  return null;
}

/** The first SOFn marker's size (SOF0..SOF15 except DHT C4, JPG C8, DAC CC). */
function jpegDimensions(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1];
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (m === 0xda || m === 0xd9) return null; // scan data before any SOF
    const len = u16be(b, i + 2);
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    if (len < 2) return null;
    i += 2 + len;
  }
  return null;
}

function webpDimensions(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 30) return null;
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === 'VP8X') return { width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
  if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** Throws naming the first PNG chunk whose CRC (over type and data) does not match, or that runs past the end. */
export function checkPngCrcs(b: Uint8Array): void {
  let i = 8;
  while (i + 12 <= b.length) {
    const len = u32be(b, i);
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
    if (i + 12 + len > b.length) throw new Error(`PNG chunk "${type}" at byte ${i} runs past the end (${len} bytes of data, ${b.length - i - 12} left)`);
    const want = u32be(b, i + 8 + len);
    const got = crc32(b.subarray(i + 4, i + 8 + len));
    if (want !== got) throw new Error(`PNG chunk "${type}" at byte ${i} has a bad CRC (stored ${want.toString(16)}, computed ${got.toString(16)})`);
    if (type === 'IEND') return;
    i += 12 + len;
  }
}

/** Throws an Error saying what is wrong: too many pixels by the header, or (PNG) a bad chunk CRC. */
export function checkEncodedImage(b: Uint8Array): void {
  const d = imageDimensions(b);
  if (d) checkImagePixels(d.width, d.height, `the image header says ${d.width}x${d.height}`);
  if (sniffImage(b) === 'png') checkPngCrcs(b);
}
