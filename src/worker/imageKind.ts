// What kind of image a sample's bytes hold, from their magic numbers (the container's extension is
// only a hint: ImageNet has a PNG named .JPEG). Used to give decode failures a precise message.

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

const MIME: Record<ImageKind, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

/** The image format the bytes start with, or null when they start with no known image magic. */
export function sniffImage(b: Uint8Array): ImageKind | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

export function mimeOf(kind: ImageKind): string {
  return MIME[kind];
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** The first bytes in hex, for messages ("00 11 22 33"). */
export function hexHead(b: Uint8Array, n = 8): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Why bytes that fail to decode fail, in words (the caller adds file and key). */
export function undecodableReason(b: Uint8Array, ext: string, detail: string): string {
  if (b.length === 0) return `the ${ext || 'image'} member is empty (0 bytes)`;
  const kind = sniffImage(b);
  if (kind === null) return `not a JPEG, PNG or WebP image (${b.length} bytes starting ${hexHead(b)}; the name says .${ext})`;
  return `corrupt or truncated ${kind.toUpperCase()} data (${b.length} bytes): ${detail}`;
}
