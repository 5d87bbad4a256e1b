// What kind of image a file holds: the file-name extensions every reader accepts as an image, and
// the image type from its first bytes, not its name (ImageNet has a PNG named .JPEG), which is what
// the decoders go by.

/**
 * File-name extensions (lower case, no dot) that mark an image: a WebDataset member's image, an
 * ImageFolder file, a loose dropped image.
 */
export const IMAGE_EXTS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp'];

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'unknown';

export function sniffImage(b: Uint8Array): ImageKind {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  if (b.length >= 6 && String.fromCharCode(...b.subarray(0, 4)) === 'GIF8') return 'gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return 'unknown';
}

/** The first bytes in hex, for messages about unrecognised data. */
export function hexHead(b: Uint8Array, n = 8): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ');
}
