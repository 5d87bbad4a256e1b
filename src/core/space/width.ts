// Channel rounding under a width multiplier. Pure functions, no imports.

/**
 * MobileNetV2's `_make_divisible` (torchvision / TF slim): round `value` to the nearest multiple
 * of `divisor`, at least `minValue` (default: the divisor), and never more than 10% below `value`
 * (bump up by one divisor if rounding down went too far).
 * makeDivisible(40 * 0.75, 8) = 32; makeDivisible(11.2, 8) = 16 (8 would be < 90% of 11.2).
 */
export function makeDivisible(value: number, divisor: number, minValue: number = divisor): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`makeDivisible: value must be a positive number, got ${value}`);
  if (!Number.isInteger(divisor) || divisor < 1) throw new Error(`makeDivisible: divisor must be a positive integer, got ${divisor}`);
  // int(v + d/2) // d * d, as in Python (v > 0, so floor = truncation).
  let rounded = Math.max(minValue, Math.floor(Math.floor(value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

/** Divisor for every MobileNetV2 channel count (stem, fixed blocks, layers, head). */
export const MBV2_DIVISOR = 8;
/**
 * Divisor for ShuffleNetV2 stage outputs: 16 keeps the stride-1 split (cin / 2), mid = cout / 2
 * and SPOS's channel shuffle (channels % 4 == 0) integral at every width.
 */
export const SHUFFLE_STAGE_DIVISOR = 16;
/** Divisor for the ShuffleNetV2 stem and head (plain convs: any multiple of 8 works). */
export const SHUFFLE_STEM_DIVISOR = 8;

/** Channels of a body layer (stem, fixed block, searchable layer) at width `widthMult`. */
export function scaleChannels(channelsAtWidth1: number, widthMult: number, divisor: number): number {
  return makeDivisible(channelsAtWidth1 * widthMult, divisor);
}

/**
 * Channels of the head conv: torchvision's MobileNetV2 rule, `make_divisible(head * max(1, w))`:
 * the head is never narrowed, only widened. Used for both families.
 */
export function scaleHeadChannels(headAtWidth1: number, widthMult: number): number {
  return makeDivisible(headAtWidth1 * Math.max(1, widthMult), MBV2_DIVISOR);
}
