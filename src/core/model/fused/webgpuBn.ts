// The fused BN-training kernels of the webgpu backend: four WGSL programs run through the
// backend's own program API (runWebGPUProgram), registered as tfjs kernels so that the engine
// (tape, tf.profile, memory accounting) sees them like any other op. x is NHWC (or NC), read as
// [rows, C] with rows = x.size / C; `stats` is [2C] = mean (biased variance) per channel.
//   IsoBnStats       x -> [mean | var]: one workgroup per channel, Welford per thread, then a
//                    pairwise (Chan) merge in workgroup memory: float32-safe, no E[x^2]-E[x]^2.
//   IsoBnApply       y = act(gamma * (x - mean) * rsqrt(var + eps) + beta): one pass.
//   IsoBnGradReduce  [sum(dz) | sum(dz * xhat)] per channel, dz = dy * act'(z): one reduction.
//   IsoBnGradInput   dx = gamma * invStd * (dz - sum(dz)/n - xhat * sum(dz*xhat)/n): one pass.
// No import of the webgpu backend package: only its runWebGPUProgram method is used.
import * as tf from '@tensorflow/tfjs-core';

export type FusedAct = 'none' | 'relu' | 'relu6';

/** The subset of the WebGPUProgram interface (tfjs-backend-webgpu 4.22) these programs fill in. */
interface Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

type Uniform = Array<{ type: 'int32' | 'float32'; data: number[] }>;
interface WebGpuBackendLike {
  runWebGPUProgram(p: Program, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: Uniform): tf.TensorInfo;
}

const WG = 64;
const ACT_CODES: Record<FusedAct, number> = { none: 0, relu: 1, relu6: 2 };

/** WGSL: act(v) and act'(v) as a 0/1 mask, same conventions as tf.relu / tf.relu6 and their grads. */
function actSnippet(act: FusedAct): string {
  const fwd = act === 'relu' ? 'max(v, 0.0)' : act === 'relu6' ? 'clamp(v, 0.0, 6.0)' : 'v';
  const mask = act === 'relu' ? 'select(0.0, 1.0, v > 0.0)' : act === 'relu6' ? 'select(0.0, 1.0, v > 0.0 && v <= 6.0)' : '1.0';
  return `
    fn actFwd(v : f32) -> f32 { return ${fwd}; }
    fn actMask(v : f32) -> f32 { return ${mask}; }`;
}

function rank1Layout(shape: number[]): { x: number[] } {
  return { x: shape.map((_, i) => i) };
}

class StatsProgram implements Program {
  outputShape: number[];
  shaderKey = 'isoBnStats';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['x'];
  uniforms = 'channels : i32, rows : i32,';
  workgroupSize: [number, number, number] = [WG, 1, 1];
  constructor(channels: number) {
    this.outputShape = [2 * channels];
    this.dispatchLayout = rank1Layout(this.outputShape);
    this.dispatch = [channels, 1, 1];
  }
  getUserCode(): string {
    return `
      var<workgroup> sN : array<f32, ${WG}>;
      var<workgroup> sMean : array<f32, ${WG}>;
      var<workgroup> sM2 : array<f32, ${WG}>;
      fn main(index : i32) {
        let c = i32(workgroupId.x);
        let t = i32(localId.x);
        var n = 0.0;
        var mean = 0.0;
        var m2 = 0.0;
        for (var r = t; r < uniforms.rows; r = r + ${WG}) {
          let v = f32(x[r * uniforms.channels + c]);
          n = n + 1.0;
          let d = v - mean;
          mean = mean + d / n;
          m2 = m2 + d * (v - mean);
        }
        sN[t] = n;
        sMean[t] = mean;
        sM2[t] = m2;
        workgroupBarrier();
        for (var s = ${WG / 2}; s > 0; s = s / 2) {
          if (t < s) {
            let nb = sN[t + s];
            if (nb > 0.0) {
              let na = sN[t];
              let nab = na + nb;
              let d = sMean[t + s] - sMean[t];
              sMean[t] = sMean[t] + d * (nb / nab);
              sM2[t] = sM2[t] + sM2[t + s] + d * d * (na * nb / nab);
              sN[t] = nab;
            }
          }
          workgroupBarrier();
        }
        if (t == 0) {
          result[c] = sMean[0];
          result[uniforms.channels + c] = sM2[0] / sN[0];
        }
      }`;
  }
}

class ApplyProgram implements Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['x', 'stats', 'gamma', 'beta'];
  uniforms = 'channels : i32, eps : f32,';
  workgroupSize: [number, number, number] = [WG, 1, 1];
  size = true;
  constructor(
    shape: number[],
    private readonly act: FusedAct,
  ) {
    this.outputShape = shape;
    this.shaderKey = `isoBnApply_${act}`;
    this.dispatchLayout = rank1Layout(shape);
    this.dispatch = [Math.ceil(tf.util.sizeFromShape(shape) / WG), 1, 1];
  }
  getUserCode(): string {
    return `
      ${actSnippet(this.act)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % uniforms.channels;
          let invStd = inverseSqrt(stats[uniforms.channels + c] + uniforms.eps);
          let xhat = (f32(x[index]) - stats[c]) * invStd;
          setOutputAtIndex(index, actFwd(xhat * gamma[c] + beta[c]));
        }
      }`;
  }
}

class GradReduceProgram implements Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['dy', 'x', 'stats', 'gamma', 'beta'];
  uniforms = 'channels : i32, rows : i32, eps : f32,';
  workgroupSize: [number, number, number] = [WG, 1, 1];
  constructor(
    channels: number,
    private readonly act: FusedAct,
  ) {
    this.outputShape = [2 * channels];
    this.shaderKey = `isoBnGradReduce_${act}`;
    this.dispatchLayout = rank1Layout(this.outputShape);
    this.dispatch = [channels, 1, 1];
  }
  getUserCode(): string {
    return `
      ${actSnippet(this.act)}
      var<workgroup> sA : array<f32, ${WG}>;
      var<workgroup> sB : array<f32, ${WG}>;
      fn main(index : i32) {
        let c = i32(workgroupId.x);
        let t = i32(localId.x);
        let mean = stats[c];
        let invStd = inverseSqrt(stats[uniforms.channels + c] + uniforms.eps);
        let g = gamma[c];
        let b = beta[c];
        var a = 0.0;
        var bb = 0.0;
        for (var r = t; r < uniforms.rows; r = r + ${WG}) {
          let i = r * uniforms.channels + c;
          let xhat = (f32(x[i]) - mean) * invStd;
          let dz = f32(dy[i]) * actMask(xhat * g + b);
          a = a + dz;
          bb = bb + dz * xhat;
        }
        sA[t] = a;
        sB[t] = bb;
        workgroupBarrier();
        for (var s = ${WG / 2}; s > 0; s = s / 2) {
          if (t < s) {
            sA[t] = sA[t] + sA[t + s];
            sB[t] = sB[t] + sB[t + s];
          }
          workgroupBarrier();
        }
        if (t == 0) {
          result[c] = sA[0];
          result[uniforms.channels + c] = sB[0];
        }
      }`;
  }
}

class GradInputProgram implements Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['dy', 'x', 'stats', 'sums', 'gamma', 'beta'];
  uniforms = 'channels : i32, eps : f32, invN : f32,';
  workgroupSize: [number, number, number] = [WG, 1, 1];
  size = true;
  constructor(
    shape: number[],
    private readonly act: FusedAct,
  ) {
    this.outputShape = shape;
    this.shaderKey = `isoBnGradInput_${act}`;
    this.dispatchLayout = rank1Layout(shape);
    this.dispatch = [Math.ceil(tf.util.sizeFromShape(shape) / WG), 1, 1];
  }
  getUserCode(): string {
    return `
      ${actSnippet(this.act)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % uniforms.channels;
          let invStd = inverseSqrt(stats[uniforms.channels + c] + uniforms.eps);
          let xhat = (f32(x[index]) - stats[c]) * invStd;
          let g = gamma[c];
          let dz = f32(dy[index]) * actMask(xhat * g + beta[c]);
          let centred = dz - sums[c] * uniforms.invN - xhat * (sums[uniforms.channels + c] * uniforms.invN);
          setOutputAtIndex(index, centred * (g * invStd));
        }
      }`;
  }
}

export const FUSED_BN_KERNELS = { stats: 'IsoBnStats', apply: 'IsoBnApply', gradReduce: 'IsoBnGradReduce', gradInput: 'IsoBnGradInput' } as const;

function channelsOf(x: tf.TensorInfo): number {
  return x.shape[x.shape.length - 1];
}

/** The activation of a fused kernel's attributes (shared with webglBn.ts). */
export function fusedActOf(attrs: tf.NamedAttrMap | undefined): FusedAct {
  const code = attrs?.act as number | undefined;
  const act = (Object.keys(ACT_CODES) as FusedAct[]).find((k) => ACT_CODES[k] === code);
  if (act === undefined) throw new Error(`fused BN kernel: unknown activation code ${String(code)}`);
  return act;
}

/** Attributes of the fused kernels (activation as a number: attrs are plain values). */
export function fusedBnAttrs(act: FusedAct, eps: number): tf.NamedAttrMap {
  return { act: ACT_CODES[act], eps };
}

let registered = false;

/** Register the four kernels for the webgpu backend (idempotent; harmless without that backend). */
export function registerWebgpuFusedBn(): void {
  if (registered) return;
  registered = true;
  const be = (b: unknown) => b as WebGpuBackendLike;
  const eps = (attrs: tf.NamedAttrMap | undefined) => Number(attrs?.eps);
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.stats,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const c = channelsOf(x);
      return be(backend).runWebGPUProgram(new StatsProgram(c), [x], 'float32', [
        { type: 'int32', data: [c] },
        { type: 'int32', data: [tf.util.sizeFromShape(x.shape) / c] },
      ]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.apply,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      return be(backend).runWebGPUProgram(new ApplyProgram(x.shape, fusedActOf(attrs)), [x, stats, gamma, beta], 'float32', [
        { type: 'int32', data: [channelsOf(x)] },
        { type: 'float32', data: [eps(attrs)] },
      ]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.gradReduce,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, stats, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      const c = channelsOf(x);
      return be(backend).runWebGPUProgram(new GradReduceProgram(c, fusedActOf(attrs)), [dy, x, stats, gamma, beta], 'float32', [
        { type: 'int32', data: [c] },
        { type: 'int32', data: [tf.util.sizeFromShape(x.shape) / c] },
        { type: 'float32', data: [eps(attrs)] },
      ]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.gradInput,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, stats, sums, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      const c = channelsOf(x);
      return be(backend).runWebGPUProgram(new GradInputProgram(x.shape, fusedActOf(attrs)), [dy, x, stats, sums, gamma, beta], 'float32', [
        { type: 'int32', data: [c] },
        { type: 'float32', data: [eps(attrs)] },
        { type: 'float32', data: [c / tf.util.sizeFromShape(x.shape)] },
      ]);
    },
  });
}
