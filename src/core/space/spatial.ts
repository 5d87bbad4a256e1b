// Spatial geometry shared by decode.ts and cost.ts. No imports.

/**
 * Output side of a square conv with 'same' padding k // 2:
 * floor((n + 2 * (k // 2) - k) / s) + 1. For odd k this is n at stride 1 and ceil(n / 2) at 2.
 */
export function convOutputSize(inputSize: number, kernel: number, stride: number): number {
  const pad = Math.floor(kernel / 2);
  return Math.floor((inputSize + 2 * pad - kernel) / stride) + 1;
}
