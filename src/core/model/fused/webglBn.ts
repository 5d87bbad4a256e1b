// The fused BN-training kernels of the webgl backend: the same four kernels as webgpuBn.ts (same
// names, inputs, attributes and outputs), as GLSL fragment programs run through the backend's own
// program API (runWebGLProgram). A fragment shader has no workgroup memory, so a reduction is one
// fragment per output value looping over the rows of its channel:
//   IsoBnStats       [2C]: fragment i < C = mean of channel i, else its biased variance; Welford
//                    over the rows (float32-safe, no E[x^2] - E[x]^2).
//   IsoBnApply       y = act(gamma * (x - mean) * rsqrt(var + eps) + beta): one pass.
//   IsoBnGradReduce  [2C]: sum(dz), then sum(dz * xhat), dz = dy * act'(z): one pass over the rows.
//   IsoBnGradInput   dx = gamma * invStd * (dz - sum(dz)/n - xhat * sum(dz*xhat)/n): one pass.
// Shapes are compiled into the programs (the backend caches one binary per program and shapes,
// as for its own kernels). x is read as [rows, C] through its own N-d sampler. Ranks 2 to 4
// (NC, NHWC); fusedBnTrain falls back to the composed ops for others and for inputs with more rows
// than WEBGL_MAX_ROWS (one fragment loops over every row of its channel: long loops risk the GPU
// watchdog). No import of the webgl backend package: only runWebGLProgram is used.
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_BN_KERNELS, fusedActOf, type FusedAct } from './webgpuBn.ts';

/** The subset of the GPGPUProgram interface (tfjs-backend-webgl 4.22) these programs fill in. */
interface GlslProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms?: Array<{ name: string; type: 'float' | 'int' }>;
}

interface WebGlBackendLike {
  runWebGLProgram(p: GlslProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, customUniformValues?: number[][]): tf.TensorInfo;
}

/** Largest rows (elements per channel) a fused webgl reduction takes; larger runs the composed ops. */
export const WEBGL_MAX_ROWS = 1 << 16;

/** Whether the webgl kernels take an input of this shape. */
export function webglFusedShapeOk(shape: readonly number[]): boolean {
  return shape.length >= 2 && shape.length <= 4 && tf.util.sizeFromShape(shape as number[]) / shape[shape.length - 1] <= WEBGL_MAX_ROWS;
}

/** GLSL: act(v) and act'(v) as a 0/1 mask, same conventions as tf.relu / tf.relu6 and their grads. */
function actSnippet(act: FusedAct): string {
  const fwd = act === 'relu' ? 'max(v, 0.0)' : act === 'relu6' ? 'clamp(v, 0.0, 6.0)' : 'v';
  const mask = act === 'relu' ? '(v > 0.0 ? 1.0 : 0.0)' : act === 'relu6' ? '((v > 0.0 && v <= 6.0) ? 1.0 : 0.0)' : '1.0';
  return `
    float actFwd(float v) { return ${fwd}; }
    float actMask(float v) { return ${mask}; }`;
}

/** GLSL `float <fn>(int r, int c)`: element (row r, channel c) of input `name` (N-d, channel last). */
function rowReader(fn: string, name: string, shape: readonly number[]): string {
  const dims = shape.slice(0, -1);
  const sampler = `get${name[0].toUpperCase()}${name.slice(1)}`;
  const lines: string[] = ['int rem = r;'];
  const idx: string[] = [];
  for (let d = 0; d < dims.length; d++) {
    const stride = dims.slice(d + 1).reduce((p, v) => p * v, 1);
    if (d === dims.length - 1) {
      idx.push('rem');
    } else {
      lines.push(`int i${d} = rem / ${stride}; rem -= i${d} * ${stride};`);
      idx.push(`i${d}`);
    }
  }
  return `
    float ${fn}(int r, int c) {
      ${lines.join('\n      ')}
      return ${sampler}(${[...idx, 'c'].join(', ')});
    }`;
}

/** The channel of the output coordinates of an N-d (rank 2-4) elementwise program. */
function channelOfCoords(rank: number): string {
  return ['', '', 'coords.y', 'coords.z', 'coords.w'][rank];
}

function rowsOf(shape: readonly number[]): number {
  return tf.util.sizeFromShape(shape as number[]) / shape[shape.length - 1];
}

class StatsProgram implements GlslProgram {
  variableNames = ['x'];
  outputShape: number[];
  userCode: string;
  constructor(xShape: number[]) {
    const c = xShape[xShape.length - 1];
    this.outputShape = [2 * c];
    this.userCode = `
      ${rowReader('xAt', 'x', xShape)}
      void main() {
        int i = getOutputCoords();
        int c = i < ${c} ? i : i - ${c};
        float n = 0.0;
        float mean = 0.0;
        float m2 = 0.0;
        for (int r = 0; r < ${rowsOf(xShape)}; r++) {
          float v = xAt(r, c);
          n += 1.0;
          float d = v - mean;
          mean += d / n;
          m2 += d * (v - mean);
        }
        setOutput(i < ${c} ? mean : m2 / n);
      }`;
  }
}

class ApplyProgram implements GlslProgram {
  variableNames = ['x', 'stats', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [{ name: 'eps', type: 'float' as const }];
  constructor(xShape: number[], act: FusedAct) {
    const c = xShape[xShape.length - 1];
    this.outputShape = xShape;
    this.userCode = `
      ${actSnippet(act)}
      void main() {
        ${['', '', 'ivec2', 'ivec3', 'ivec4'][xShape.length]} coords = getOutputCoords();
        int c = ${channelOfCoords(xShape.length)};
        float invStd = inversesqrt(getStats(${c} + c) + eps);
        float xhat = (getXAtOutCoords() - getStats(c)) * invStd;
        setOutput(actFwd(xhat * getGamma(c) + getBeta(c)));
      }`;
  }
}

class GradReduceProgram implements GlslProgram {
  variableNames = ['dy', 'x', 'stats', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [{ name: 'eps', type: 'float' as const }];
  constructor(xShape: number[], act: FusedAct) {
    const c = xShape[xShape.length - 1];
    this.outputShape = [2 * c];
    this.userCode = `
      ${actSnippet(act)}
      ${rowReader('xAt', 'x', xShape)}
      ${rowReader('dyAt', 'dy', xShape)}
      void main() {
        int i = getOutputCoords();
        bool first = i < ${c};
        int c = first ? i : i - ${c};
        float mean = getStats(c);
        float invStd = inversesqrt(getStats(${c} + c) + eps);
        float g = getGamma(c);
        float b = getBeta(c);
        float acc = 0.0;
        for (int r = 0; r < ${rowsOf(xShape)}; r++) {
          float xhat = (xAt(r, c) - mean) * invStd;
          float dz = dyAt(r, c) * actMask(xhat * g + b);
          acc += first ? dz : dz * xhat;
        }
        setOutput(acc);
      }`;
  }
}

class GradInputProgram implements GlslProgram {
  variableNames = ['dy', 'x', 'stats', 'sums', 'gamma', 'beta'];
  outputShape: number[];
  userCode: string;
  customUniforms = [
    { name: 'eps', type: 'float' as const },
    { name: 'invN', type: 'float' as const },
  ];
  constructor(xShape: number[], act: FusedAct) {
    const c = xShape[xShape.length - 1];
    this.outputShape = xShape;
    this.userCode = `
      ${actSnippet(act)}
      void main() {
        ${['', '', 'ivec2', 'ivec3', 'ivec4'][xShape.length]} coords = getOutputCoords();
        int c = ${channelOfCoords(xShape.length)};
        float invStd = inversesqrt(getStats(${c} + c) + eps);
        float xhat = (getXAtOutCoords() - getStats(c)) * invStd;
        float g = getGamma(c);
        float dz = getDyAtOutCoords() * actMask(xhat * g + getBeta(c));
        float centred = dz - getSums(c) * invN - xhat * (getSums(${c} + c) * invN);
        setOutput(centred * (g * invStd));
      }`;
  }
}

let registered = false;

/** Register the four kernels for the webgl backend (idempotent; harmless without that backend). */
export function registerWebglFusedBn(): void {
  if (registered) return;
  registered = true;
  const be = (b: unknown) => b as WebGlBackendLike;
  const eps = (attrs: tf.NamedAttrMap | undefined) => Number(attrs?.eps);
  const checked = (x: tf.TensorInfo): number[] => {
    if (!webglFusedShapeOk(x.shape)) throw new Error(`fused BN (webgl): input of shape [${x.shape}] not supported (rank 2-4, at most ${WEBGL_MAX_ROWS} rows)`);
    return x.shape;
  };
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.stats,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      return be(backend).runWebGLProgram(new StatsProgram(checked(x)), [x], 'float32');
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.apply,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, stats, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      return be(backend).runWebGLProgram(new ApplyProgram(checked(x), fusedActOf(attrs)), [x, stats, gamma, beta], 'float32', [[eps(attrs)]]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.gradReduce,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, stats, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      return be(backend).runWebGLProgram(new GradReduceProgram(checked(x), fusedActOf(attrs)), [dy, x, stats, gamma, beta], 'float32', [[eps(attrs)]]);
    },
  });
  tf.registerKernel({
    kernelName: FUSED_BN_KERNELS.gradInput,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, stats, sums, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
      return be(backend).runWebGLProgram(new GradInputProgram(checked(x), fusedActOf(attrs)), [dy, x, stats, sums, gamma, beta], 'float32', [[eps(attrs)], [rowsOf(x.shape) === 0 ? 0 : 1 / rowsOf(x.shape)]]);
    },
  });
}
