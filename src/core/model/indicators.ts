// The indicator (docs/method.md): each searchable candidate's indicator BN is its last BN (the
// main branch's for ShuffleNet blocks; the BN itself for an identity candidate), chosen when
// blocks.ts builds the candidate (Module.indicator) and trained in every mode. The table s(l, c)
// is the mean |gamma| of that BN, read here from a supernet with one asynchronous read-back.
// The table's plain-data shapes are in indicatorTable.ts (re-exported here).
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNorm } from './bn.ts';
import type { IndicatorTable } from './indicatorTable.ts';
import type { Supernet } from './supernet.ts';

export { snapshotOf, type IndicatorSnapshot, type IndicatorTable } from './indicatorTable.ts';

/** The indicator BN of candidate `choice` (-1 = identity) of searchable layer `layerIdx`. */
export function indicatorBn(net: Supernet, layerIdx: number, choice: number): BatchNorm {
  const bn = net.candidate(layerIdx, choice).indicator;
  if (!bn) throw new Error(`layer ${layerIdx}: candidate ${choice} has no indicator BN`);
  return bn;
}

/** Read the indicator table with one asynchronous read-back; leaks no tensors. */
export async function readIndicators(net: Supernet): Promise<IndicatorTable> {
  const layout = net.resolved.layers.map((l) => ({ layerIdx: l.layerIdx, normal: l.normal, choices: [...l.choices] }));
  const packed = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (const l of layout) for (const c of l.choices) parts.push(tf.reshape(tf.mean(tf.abs(indicatorBn(net, l.layerIdx, c).gamma)), [1]));
    return tf.concat(parts);
  });
  const values = await packed.data();
  packed.dispose();
  let k = 0;
  return { layers: layout.map((l) => ({ ...l, scores: l.choices.map(() => values[k++]) })) };
}
