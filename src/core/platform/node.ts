// Node set-up for the CLI, benchmarks and tests: the tfjs cpu backend with every gradient
// registered. tfjs-core alone registers no gradients; in Node its ESM file that does
// (dist/register_all_gradients) cannot be loaded (directory imports), while the full
// @tensorflow/tfjs Node bundle registers them all, into the engine and registries that tfjs
// keeps on the global object and so shares with @tensorflow/tfjs-core. The browser worker
// imports tfjs-core's register_all_gradients instead.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function useNodeCpuBackend(): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('tfjs cpu backend failed to initialise');
  }
  await tf.ready();
  // The cpu backend prints a multi-line "install tfjs-node" banner to stderr on first use in
  // Node; the CLI's contract is one line per error, so mark the banner as shown.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}
