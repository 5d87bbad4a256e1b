// Convolution gradients for the tfjs wasm backend, which has no DepthwiseConv2dNativeBackpropInput,
// Conv2DBackpropFilter or DepthwiseConv2dNativeBackpropFilter kernel. installWasmConvGrads()
// replaces the registered gradients of Conv2D and DepthwiseConv2dNative with ones that, while the
// active backend is 'wasm', compute the missing parts from forward ops wasm has (pad, strided
// slice, reverse, matMul, forward depthwise convolution, sum); on every other backend they call
// tfjs's own gradient unchanged. Pure tfjs-core: used by Node (platform/node.ts) and the worker.
import * as tf from '@tensorflow/tfjs-core';

/** Kernels the wasm backend lacks that this file stands in for (docs/engine.md). */
export const WASM_BRIDGED_KERNELS = ['DepthwiseConv2dNativeBackpropInput', 'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'] as const;

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

function pair(v: number | [number, number] | undefined): [number, number] {
  if (v == null) return [1, 1];
  return typeof v === 'number' ? [v, v] : v;
}

function convInfo(x: tf.Tensor4D, filterShape: [number, number, number, number], a: ConvAttrs, depthwise: boolean, kernel: string): tf.backend_util.Conv2DInfo {
  const dil = pair(a.dilations);
  if (dil[0] !== 1 || dil[1] !== 1) throw new Error(`wasm backend: ${kernel} with dilations ${dil.join('x')} is not bridged (only dilation 1)`);
  if (a.dataFormat === 'NCHW') throw new Error(`wasm backend: ${kernel} in NCHW layout is not bridged (only NHWC)`);
  return tf.backend_util.computeConv2DInfo(x.shape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode, depthwise, 'channelsLast');
}

/** Pad (positive) or crop (negative) `before`/`after` entries along `axis` of a 4-D tensor. */
function padOrCrop(t: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  let out = t;
  if (before < 0 || after < 0) {
    const begin = [0, 0, 0, 0];
    const size = [...out.shape];
    const cb = Math.max(0, -before);
    const ca = Math.max(0, -after);
    begin[axis] = cb;
    size[axis] -= cb + ca;
    out = tf.slice(out, begin, size);
  }
  const pb = Math.max(0, before);
  const pa = Math.max(0, after);
  if (pb === 0 && pa === 0) return out;
  const pads: Array<[number, number]> = [[0, 0], [0, 0], [0, 0], [0, 0]];
  pads[axis] = [pb, pa];
  return tf.pad(out, pads);
}

/** x padded as the forward convolution pads it (top/left/bottom/right of info.padInfo). */
function padInput(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const p = info.padInfo;
  return padOrCrop(padOrCrop(x, 1, p.top, p.bottom), 2, p.left, p.right);
}

/** The window of padded x that filter tap (i, j) sees over every output position: [N, oh, ow, C]. */
function tapWindow(xp: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, i: number, j: number): tf.Tensor4D {
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const [n, , , c] = xp.shape;
  const end = [n, i + (info.outHeight - 1) * sh + 1, j + (info.outWidth - 1) * sw + 1, c];
  return tf.stridedSlice(xp, [0, i, j, 0], end, [1, sh, sw, 1]) as tf.Tensor4D;
}

/** Conv2DBackpropFilter from forward ops: per tap, window^T . dy over all N*oh*ow positions. */
export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], a: ConvAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const info = convInfo(x, filterShape, a, false, 'Conv2DBackpropFilter');
    const [kh, kw, ci, co] = filterShape;
    const xp = padInput(x, info);
    const rows = dy.shape[0] * info.outHeight * info.outWidth;
    const dy2 = tf.reshape(dy, [rows, co]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) taps.push(tf.matMul(tf.reshape(tapWindow(xp, info, i, j), [rows, ci]), dy2, true, false));
    }
    return tf.reshape(tf.stack(taps), [kh, kw, ci, co]);
  });
}

/** DepthwiseConv2dNativeBackpropFilter from forward ops: per tap, sum over N, oh, ow of window * dy. */
export function depthwiseFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], a: ConvAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const info = convInfo(x, filterShape, a, true, 'DepthwiseConv2dNativeBackpropFilter');
    const [kh, kw, c, m] = filterShape;
    const xp = padInput(x, info);
    const [n, oh, ow] = dy.shape;
    const dy5 = tf.reshape(dy, [n, oh, ow, c, m]);
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) taps.push(tf.sum(tf.mul(tf.reshape(tapWindow(xp, info, i, j), [n, oh, ow, c, 1]), dy5), [0, 1, 2]));
    }
    return tf.reshape(tf.stack(taps), [kh, kw, c, m]);
  });
}

/** dy with (stride - 1) zeros inserted between rows and between columns: [N, (oh-1)*sh+1, (ow-1)*sw+1, C]. */
function dilateRows(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const full = tf.reshape(spread, [n, oh * sh, ow * sw, c]);
  return tf.slice(full, [0, 0, 0, 0], [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c]) as tf.Tensor4D;
}

/**
 * DepthwiseConv2dNativeBackpropInput from forward ops, any stride: dy with zeros inserted between
 * rows and columns, padded by (k - 1 - padTop) before and as much after as gives the input size,
 * then a stride-1 'valid' forward depthwise convolution over the spatially flipped filter.
 */
export function depthwiseInputGrad(xShape: [number, number, number, number], dy: tf.Tensor4D, filter: tf.Tensor4D, a: ConvAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(xShape, filter.shape, a.strides, 1, a.pad, a.dimRoundingMode, true, 'channelsLast');
    const dil = pair(a.dilations);
    if (dil[0] !== 1 || dil[1] !== 1 || a.dataFormat === 'NCHW') throw new Error('wasm backend: DepthwiseConv2dNativeBackpropInput is bridged only for dilation 1, NHWC');
    const [kh, kw, c, m] = filter.shape;
    const [n, h, w] = xShape;
    const z = dilateRows(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const zp = padOrCrop(padOrCrop(z, 1, top, h + kh - 1 - z.shape[1] - top), 2, left, w + kw - 1 - z.shape[2] - left);
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
    const dx = tf.depthwiseConv2d(zp, flipped, 1, 'valid');
    return m === 1 ? dx : (tf.sum(tf.reshape(dx, [n, h, w, c, m]), 4) as tf.Tensor4D);
  });
}

let installed = false;

/** Replace the Conv2D and DepthwiseConv2dNative gradients (once; needs tfjs's gradients registered first). */
export function installWasmConvGrads(): void {
  if (installed) return;
  const conv = tf.getGradient('Conv2D');
  const dw = tf.getGradient('DepthwiseConv2dNative');
  if (conv == null || dw == null) throw new Error('installWasmConvGrads: tfjs gradients are not registered yet (import them first)');
  const onWasm = (): boolean => tf.getBackend() === 'wasm';
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const base = conv.gradFunc(dy, saved, attrs);
      if (!onWasm()) return base;
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      return { x: base.x, filter: () => conv2dFilterGrad(x, dy as tf.Tensor4D, filter.shape, a) };
    },
  });
  tf.registerGradient({
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const base = dw.gradFunc(dy, saved, attrs);
      if (!onWasm()) return base;
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvAttrs;
      return {
        x: () => depthwiseInputGrad(x.shape, dy as tf.Tensor4D, filter, a),
        filter: () => depthwiseFilterGrad(x, dy as tf.Tensor4D, filter.shape, a),
      };
    },
  });
  installed = true;
}
