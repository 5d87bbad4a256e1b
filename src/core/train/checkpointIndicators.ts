// The indicator table of a stored supernet checkpoint (for comparing runs): the checkpoint is
// loaded into a fresh trainer, its table read with one asynchronous read-back, and everything freed.
import type { IndicatorSnapshot } from '../model/indicatorTable.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { readIndicators, snapshotOf } from '../model/indicators.ts';

export async function checkpointIndicators(bytes: Uint8Array, source = 'checkpoint'): Promise<IndicatorSnapshot> {
  const trainer = loadCheckpoint(bytes, source);
  try {
    return snapshotOf(await readIndicators(trainer.supernet), trainer.stepIndex);
  } finally {
    trainer.dispose();
  }
}
