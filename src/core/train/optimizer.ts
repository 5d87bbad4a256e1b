// SGD with momentum, PyTorch convention: buf <- mu * buf + (g + wd * p); p <- p - lr * buf.
// Buffers start at zero for every parameter (so the first update gives buf = g, as PyTorch's lazy
// buffers do, and the tensor count never changes after construction). A parameter without a
// gradient in a step is left alone, buffer included. Buffers are keyed by parameter name so they
// can be checkpointed and restored into a freshly built supernet.
import * as tf from '@tensorflow/tfjs-core';

export class SgdMomentum {
  private readonly buffers = new Map<string, tf.Tensor>();

  constructor(
    readonly params: ReadonlyMap<string, tf.Variable>,
    readonly momentum: number,
    /** Weight decay, applied only to the names in `decayed` (never to BN parameters). */
    readonly weightDecay = 0,
    readonly decayed: ReadonlySet<string> = new Set(),
  ) {
    for (const [name, p] of params) this.buffers.set(name, tf.zerosLike(p));
  }

  /** Apply one update. `grads` maps parameter name -> gradient; the caller keeps ownership. */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    for (const [name, g] of grads) {
      const p = this.params.get(name);
      const prev = this.buffers.get(name);
      if (!p || !prev) throw new Error(`optimizer: gradient for unknown parameter ${name}`);
      const next = tf.tidy(() => {
        const gd = this.weightDecay > 0 && this.decayed.has(name) ? tf.add(g, tf.mul(p, this.weightDecay)) : g;
        const buf = tf.add(tf.mul(prev, this.momentum), gd);
        p.assign(tf.sub(p, tf.mul(buf, lr)));
        return buf;
      });
      prev.dispose();
      this.buffers.set(name, next);
    }
  }

  /** Momentum buffers by parameter name (read-only view; tensors stay owned by the optimizer). */
  get state(): ReadonlyMap<string, tf.Tensor> {
    return this.buffers;
  }

  /** Replace a buffer (checkpoint restore); takes ownership of `t`. */
  setBuffer(name: string, t: tf.Tensor): void {
    const prev = this.buffers.get(name);
    if (!prev) throw new Error(`optimizer: no parameter ${name}`);
    if (prev.shape.join('x') !== t.shape.join('x')) throw new Error(`optimizer: buffer ${name} has shape [${t.shape}], expected [${prev.shape}]`);
    prev.dispose();
    this.buffers.set(name, t);
  }

  dispose(): void {
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
  }
}
