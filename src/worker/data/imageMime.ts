// The MIME type createImageBitmap is given for sniffed image bytes (src/core/data/images/imageKind.ts: the
// content decides, not the name), and the words a decode failure is reported with.
import { hexHead, sniffImage, type ImageKind } from '../../core/data/images/imageKind.ts';

const MIME: Record<Exclude<ImageKind, 'unknown'>, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

/** The MIME type of the bytes, or null when they start with no known image magic. */
export function mimeOfBytes(b: Uint8Array): string | null {
  const kind = sniffImage(b);
  return kind === 'unknown' ? null : MIME[kind];
}

/** Why bytes that fail to decode fail, in words (the caller adds file and key). */
export function undecodableReason(b: Uint8Array, ext: string, detail: string): string {
  if (b.length === 0) return `the ${ext || 'image'} member is empty (0 bytes)`;
  const kind = sniffImage(b);
  if (kind === 'unknown') return `not a JPEG, PNG or WebP image (${b.length} bytes starting ${hexHead(b)}; the name says .${ext})`;
  return `corrupt or truncated ${kind.toUpperCase()} data (${b.length} bytes): ${detail}`;
}
