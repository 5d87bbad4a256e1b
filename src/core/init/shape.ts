// Weight shapes in tfjs layouts, their validation and sizes. Shared by every initialiser.

/**
 * conv: tfjs conv2d filter [k, k, cin, cout]; depthwise: tfjs depthwiseConv2d filter
 * [k, k, channels, 1] (cin = cout = channels); linear: [cin, cout] (kernel must be 1).
 * Weights are row-major Float32Arrays in exactly these layouts.
 */
export interface WeightShape {
  kind: 'conv' | 'depthwise' | 'linear';
  kernel: number;
  cin: number;
  cout: number;
}

const KINDS: ReadonlyArray<WeightShape['kind']> = ['conv', 'depthwise', 'linear'];

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

/** Throws a clear Error unless `shape` is a valid WeightShape. */
export function validateShape(shape: WeightShape): void {
  const where = `weight shape ${JSON.stringify(shape)}`;
  if (shape === null || typeof shape !== 'object') throw new Error(`init: expected a WeightShape object, got ${String(shape)}`);
  if (!KINDS.includes(shape.kind)) throw new Error(`init: ${where}: kind must be one of ${KINDS.join(', ')}`);
  for (const key of ['kernel', 'cin', 'cout'] as const) {
    if (!isPositiveInt(shape[key])) throw new Error(`init: ${where}: ${key} must be a positive integer`);
  }
  if (shape.kind === 'depthwise' && shape.cin !== shape.cout) {
    throw new Error(`init: ${where}: depthwise needs cin == cout (one filter per channel)`);
  }
  if (shape.kind === 'linear' && shape.kernel !== 1) {
    throw new Error(`init: ${where}: linear weights need kernel 1`);
  }
}

/** Number of weights: k*k*cin*cout (conv), k*k*channels (depthwise), cin*cout (linear). */
export function weightCount(shape: WeightShape): number {
  validateShape(shape);
  const taps = shape.kernel * shape.kernel;
  return shape.kind === 'depthwise' ? taps * shape.cin : taps * shape.cin * shape.cout;
}

/** The 2-D view [fanIn, fanOut] of a conv/linear weight: fanIn = k*k*cin (rows in [k,k,cin] order), fanOut = cout. */
export function matrixDims(shape: WeightShape): { fanIn: number; fanOut: number } {
  return { fanIn: shape.kernel * shape.kernel * shape.cin, fanOut: shape.cout };
}
