import { describe, expect, it } from 'vitest';
import { mimeOfBytes, undecodableReason } from './imageMime.ts';

const bytes = (...xs: number[]) => Uint8Array.from(xs);
const text = (s: string) => new TextEncoder().encode(s);

describe('image kind for the browser decoder', () => {
  it('gives createImageBitmap the MIME type of the content, whatever the name says', () => {
    expect(mimeOfBytes(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(mimeOfBytes(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(mimeOfBytes(text('RIFF\x10\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(mimeOfBytes(text('RIFF\x10\0\0\0WAVEfmt '))).toBeNull();
    expect(mimeOfBytes(new Uint8Array(0))).toBeNull();
  });

  it('explains a failure: empty, foreign bytes, or a damaged image of a known kind', () => {
    expect(undecodableReason(new Uint8Array(0), 'jpg', 'x')).toBe('the jpg member is empty (0 bytes)');
    expect(undecodableReason(text('not an image'), 'jpg', 'x')).toBe(
      'not a JPEG, PNG or WebP image (12 bytes starting 6e 6f 74 20 61 6e 20 69; the name says .jpg)',
    );
    expect(undecodableReason(bytes(0xff, 0xd8, 0xff, 0xdb, 1), 'png', 'EncodingError')).toBe(
      'corrupt or truncated JPEG data (5 bytes): EncodingError',
    );
  });
});
