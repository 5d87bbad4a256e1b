// The browser's ImageDecoder (src/core/data/images/decode.ts) for the engine worker: createImageBitmap
// decodes (off the worker's thread in Chromium), a second createImageBitmap crops and resizes in
// one step, and an OffscreenCanvas reads the pixels back as RGBA. imageOrientation 'none' ignores
// EXIF rotation, as PIL (and so the reference pipelines) does.
import type { CropRect, DecodedImage, ImageDecoder } from '../../core/data/images/decode.ts';
import { mimeOfBytes, undecodableReason } from './imageMime.ts';
import { checkEncodedImage } from '../../core/data/images/imageHeader.ts';

function describe(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

/** Throws when `c` is not an integer rectangle with positive size inside a width x height image. */
export function checkCrop(c: CropRect, width: number, height: number): void {
  const ints = [c.x, c.y, c.width, c.height].every(Number.isInteger);
  if (!ints || c.width < 1 || c.height < 1 || c.x < 0 || c.y < 0 || c.x + c.width > width || c.y + c.height > height) {
    throw new Error(`crop ${JSON.stringify(c)} is not inside the ${width}x${height} image`);
  }
}

export class BrowserImageDecoder implements ImageDecoder {
  readonly name = 'createImageBitmap';
  private canvas: OffscreenCanvas | null = null;
  private ctx: OffscreenCanvasRenderingContext2D | null = null;

  async decode(
    bytes: Uint8Array,
    ext: string,
    chooseCrop: (width: number, height: number) => CropRect,
    outWidth: number,
    outHeight: number,
  ): Promise<DecodedImage> {
    if (!(Number.isInteger(outWidth) && Number.isInteger(outHeight) && outWidth > 0 && outHeight > 0)) {
      throw new Error(`output size ${outWidth}x${outHeight} is not a positive integer size`);
    }
    const mime = mimeOfBytes(bytes);
    if (mime === null) throw new Error(undecodableReason(bytes, ext, ''));
    checkEncodedImage(bytes); // the same limits as the Node decoder: pixels from the header, PNG CRCs
    let full: ImageBitmap;
    try {
      full = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }), { imageOrientation: 'none' });
    } catch (err) {
      throw new Error(undecodableReason(bytes, ext, describe(err)));
    }
    let scaled: ImageBitmap | null = null;
    try {
      if (full.width < 1 || full.height < 1) throw new Error(`the image has no pixels (${full.width}x${full.height})`);
      const crop = chooseCrop(full.width, full.height);
      checkCrop(crop, full.width, full.height);
      scaled = await createImageBitmap(full, crop.x, crop.y, crop.width, crop.height, {
        resizeWidth: outWidth,
        resizeHeight: outHeight,
        resizeQuality: 'high',
        imageOrientation: 'none',
      });
      const ctx = this.context(outWidth, outHeight);
      ctx.clearRect(0, 0, outWidth, outHeight);
      ctx.drawImage(scaled, 0, 0);
      const data = ctx.getImageData(0, 0, outWidth, outHeight).data;
      return { width: outWidth, height: outHeight, data };
    } finally {
      full.close();
      scaled?.close();
    }
  }

  /** One canvas reused across calls, resized when the output size changes. */
  private context(w: number, h: number): OffscreenCanvasRenderingContext2D {
    if (this.canvas === null || this.ctx === null) {
      this.canvas = new OffscreenCanvas(w, h);
      const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
      if (ctx === null) throw new Error('OffscreenCanvas 2d context is unavailable in this worker');
      this.ctx = ctx;
    } else if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    return this.ctx;
  }
}
