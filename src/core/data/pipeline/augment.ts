// Augmentation as pure functions over an Rng: RandomResizedCrop's crop sampling (torchvision's
// algorithm, fallback included), the validation centre crop, horizontal flip, colour jitter
// (brightness, contrast, saturation) and ImageNet mean/std normalisation into NHWC float32.
// The crop is chosen here and executed by the ImageDecoder (crop + resize in one step).
import type { Rng } from '../../rng.ts';
import type { CropRect, DecodedImage } from '../images/decode.ts';

export interface AugmentConfig {
  /** RandomResizedCrop area fraction range (torchvision default [0.08, 1]). */
  scale: [number, number];
  /** RandomResizedCrop aspect ratio (w / h) range (torchvision default [3/4, 4/3]). */
  ratio: [number, number];
  /** Flip horizontally with probability 0.5. */
  flip: boolean;
  /** Colour jitter strengths: factors uniform in [max(0, 1 - s), 1 + s]; 0 = off (timm default 0.4 each). */
  brightness: number;
  contrast: number;
  saturation: number;
}

export const DEFAULT_AUGMENT: AugmentConfig = {
  scale: [0.08, 1],
  ratio: [3 / 4, 4 / 3],
  flip: true,
  brightness: 0.4,
  contrast: 0.4,
  saturation: 0.4,
};

/** Validation: resize the shorter side to res / VAL_CROP_FRACTION, centre-crop res (256 -> 224). */
export const VAL_CROP_FRACTION = 224 / 256;

export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/** Python's round(): half to even (torchvision's crop sizes use it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision RandomResizedCrop.get_params: up to 10 tries of area ~ U(scale) * W * H and
 * log-aspect ~ U(log ratio), w = round(sqrt(area * ar)), h = round(sqrt(area / ar)), accepted when
 * 0 < w <= W and 0 < h <= H, position uniform over the integer offsets; else the fallback: the
 * largest centred crop whose aspect is clamped into the ratio range (the whole image when its
 * aspect is inside). Uniform draws: rng.uniform() for the continuous ones, rng.int() for offsets.
 */
export function randomResizedCrop(width: number, height: number, rng: Rng, scale: readonly [number, number] = DEFAULT_AUGMENT.scale, ratio: readonly [number, number] = DEFAULT_AUGMENT.ratio): CropRect {
  const area = width * height;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * (scale[0] + (scale[1] - scale[0]) * rng.uniform());
    const aspect = Math.exp(logLo + (logHi - logLo) * rng.uniform());
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const y = rng.int(height - h + 1);
      const x = rng.int(width - w + 1);
      return { x, y, width: w, height: h };
    }
  }
  return fallbackCrop(width, height, ratio);
}

/** torchvision's fallback: central crop with the aspect clamped into [ratio[0], ratio[1]]. */
export function fallbackCrop(width: number, height: number, ratio: readonly [number, number]): CropRect {
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(ratio[0], ratio[1])) h = roundHalfEven(w / Math.min(ratio[0], ratio[1]));
  else if (inRatio > Math.max(ratio[0], ratio[1])) w = roundHalfEven(h * Math.max(ratio[0], ratio[1]));
  return { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), width: w, height: h };
}

/**
 * Validation crop as one crop-then-resize: torchvision's Resize(res / f) + CenterCrop(res) keeps
 * the centred square of side f * min(W, H) (f = 224/256), which is then resized to res. Offsets
 * as CenterCrop: round((W - side) / 2). (Resizing first and cropping after differs only by
 * sub-pixel resampling; see docs/data.md.)
 */
export function centreCrop(width: number, height: number, fraction = VAL_CROP_FRACTION): CropRect {
  const side = Math.max(1, Math.min(width, height, roundHalfEven(Math.min(width, height) * fraction)));
  return { x: roundHalfEven((width - side) / 2), y: roundHalfEven((height - side) / 2), width: side, height: side };
}

/** Per-image colour jitter draw: factors and the order torchvision applies them in (a random permutation). */
export interface JitterDraw {
  brightness: number;
  contrast: number;
  saturation: number;
  order: number[];
}

const factor = (s: number, rng: Rng): number => (s > 0 ? Math.max(0, 1 - s) + (1 + s - Math.max(0, 1 - s)) * rng.uniform() : 1);

export function drawJitter(cfg: Pick<AugmentConfig, 'brightness' | 'contrast' | 'saturation'>, rng: Rng): JitterDraw {
  const order = rng.permutation(3);
  return { brightness: factor(cfg.brightness, rng), contrast: factor(cfg.contrast, rng), saturation: factor(cfg.saturation, rng), order };
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const gray = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * Colour jitter on RGB float pixels in [0, 1] (HWC, 3 channels), in place, as torchvision's
 * ColorJitter on a float tensor: brightness x*b; contrast blend with the mean of the grayscale
 * image; saturation blend with the per-pixel grayscale (ITU-R 601 luma 0.299, 0.587, 0.114);
 * each result clamped to [0, 1]; the three applied in `j.order` (0 brightness, 1 contrast, 2 saturation).
 */
export function applyJitter(rgb: Float32Array, j: JitterDraw): void {
  const n = rgb.length / 3;
  for (const op of j.order) {
    if (op === 0 && j.brightness !== 1) {
      for (let i = 0; i < rgb.length; i++) rgb[i] = clamp01(rgb[i] * j.brightness);
    } else if (op === 1 && j.contrast !== 1) {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += gray(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
      const mean = sum / n;
      const c = j.contrast;
      for (let i = 0; i < rgb.length; i++) rgb[i] = clamp01(c * rgb[i] + (1 - c) * mean);
    } else if (op === 2 && j.saturation !== 1) {
      const s = j.saturation;
      for (let p = 0; p < n; p++) {
        const g = (1 - s) * gray(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
        for (let ch = 0; ch < 3; ch++) rgb[3 * p + ch] = clamp01(s * rgb[3 * p + ch] + g);
      }
    }
  }
}

/** RGBA bytes -> RGB floats in [0, 1] (HWC), mirrored horizontally when `flip`. */
export function toRgbFloat(img: DecodedImage, flip: boolean, out: Float32Array = new Float32Array(img.width * img.height * 3)): Float32Array {
  const { width: w, height: h, data } = img;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = 4 * (y * w + (flip ? w - 1 - x : x));
      const dst = 3 * (y * w + x);
      out[dst] = data[src] / 255;
      out[dst + 1] = data[src + 1] / 255;
      out[dst + 2] = data[src + 2] / 255;
    }
  }
  return out;
}

/** (x - mean) / std per channel, written into `out` at `offset` (NHWC float32, one image). */
export function normalise(rgb: Float32Array, out: Float32Array, offset: number): void {
  for (let i = 0; i < rgb.length; i += 3) {
    out[offset + i] = (rgb[i] - IMAGENET_MEAN[0]) / IMAGENET_STD[0];
    out[offset + i + 1] = (rgb[i + 1] - IMAGENET_MEAN[1]) / IMAGENET_STD[1];
    out[offset + i + 2] = (rgb[i + 2] - IMAGENET_MEAN[2]) / IMAGENET_STD[2];
  }
}

/** The per-image augmentation draw besides the crop (flip, jitter). */
export interface PixelAugment {
  flip: boolean;
  jitter: JitterDraw | null;
}

export function drawPixelAugment(cfg: AugmentConfig, rng: Rng): PixelAugment {
  const flip = cfg.flip && rng.uniform() < 0.5;
  const jitter = cfg.brightness > 0 || cfg.contrast > 0 || cfg.saturation > 0 ? drawJitter(cfg, rng) : null;
  return { flip, jitter };
}

/** Decoded image -> normalised NHWC floats at `offset` of `out`, with flip / jitter (null = none). */
export function finishImage(img: DecodedImage, aug: PixelAugment | null, out: Float32Array, offset: number, scratch?: Float32Array): void {
  const rgb = toRgbFloat(img, aug?.flip ?? false, scratch && scratch.length === img.width * img.height * 3 ? scratch : undefined);
  if (aug?.jitter) applyJitter(rgb, aug.jitter);
  normalise(rgb, out, offset);
}
