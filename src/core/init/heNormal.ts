// He-normal initialiser, the BN-NAS baseline, following PyTorch
// kaiming_normal_(w, mode='fan_out', nonlinearity='relu') as used by torchvision's MobileNetV2
// (and BN-NAS, which builds on it).

import type { Rng } from '../rng.ts';
import type { WeightShape } from './shape.ts';

/** The standard deviation heNormalInit draws with. */
export function heNormalStd(shape: WeightShape): number {
  const taps = shape.kernel * shape.kernel;
  switch (shape.kind) {
    case 'conv':
      return Math.sqrt(2 / (taps * shape.cout));
    case 'depthwise':
      // PyTorch's depthwise weight is [channels, 1, k, k]; _calculate_fan_in_and_fan_out takes
      // fan_out = size(0) * k * k = channels * k * k and does not divide by groups. We follow it,
      // so a depthwise filter gets std sqrt(2 / (channels*k*k)), much smaller than sqrt(2/(k*k)).
      return Math.sqrt(2 / (taps * shape.cout));
    case 'linear':
      // torchvision MobileNetV2 (and BN-NAS) init the classifier with nn.init.normal_(w, 0, 0.01).
      return 0.01;
  }
}

/** i.i.d. normal(0, heNormalStd(shape)), drawn in output (tfjs layout) order. */
export function heNormalInit(shape: WeightShape, rng: Rng, count: number): Float32Array {
  const std = heNormalStd(shape);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal() * std;
  return out;
}
