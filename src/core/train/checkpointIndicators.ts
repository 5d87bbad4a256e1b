// The indicator table of a stored supernet checkpoint (for comparing runs): the checkpoint is
// loaded into a fresh trainer, its table read with one asynchronous read-back, and everything freed.
import type { IndicatorSnapshot } from '../compare/compareRuns.ts';
import { loadCheckpoint } from './checkpoint.ts';

export async function checkpointIndicators(bytes: Uint8Array, source = 'checkpoint'): Promise<IndicatorSnapshot> {
  const trainer = loadCheckpoint(bytes, source);
  try {
    const table = await trainer.supernet.indicators();
    return { step: trainer.stepIndex, choices: table.layers.map((l) => [...l.choices]), scores: Float32Array.from(table.layers.flatMap((l) => l.scores)) };
  } finally {
    trainer.dispose();
  }
}
