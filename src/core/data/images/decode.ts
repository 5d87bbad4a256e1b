// How the data pipeline turns encoded image bytes into pixels, without knowing where it runs: the
// browser worker implements ImageDecoder with createImageBitmap (crop and resize in one call), the
// Node CLI with pure-JS decoders. The pipeline decides the crop (RandomResizedCrop needs the image
// size first), so the decoder asks it through `chooseCrop` once it knows width and height.

/** A rectangle in source-image pixels (integers; inside the image). */
export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Decoded pixels, RGBA 8-bit, row-major (what ImageData and createImageBitmap give). */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface ImageDecoder {
  /** Which backend decodes ("createImageBitmap", "jpeg-js/fast-png", ...), for statistics. */
  readonly name: string;
  /**
   * Decodes `bytes` (the container's extension `ext` is a hint only: sniff the bytes, ImageNet has
   * PNGs named .JPEG), crops `chooseCrop(width, height)` and resizes it to outWidth x outHeight.
   * Rejects with an Error whose message says what is wrong with the image (the caller adds the
   * file and key).
   */
  decode(
    bytes: Uint8Array,
    ext: string,
    chooseCrop: (width: number, height: number) => CropRect,
    outWidth: number,
    outHeight: number,
  ): Promise<DecodedImage>;
}
