// `scores`: the indicator table s(l, c) of a checkpoint, identity (-1) included.
import { readFileSync } from 'node:fs';
import { loadCheckpoint } from '../../core/train/checkpoint.ts';
import { choiceLabel, getSpace } from '../../core/space/index.ts';
import { parse, requireString, UsageError } from '../args.ts';

export const scoresHelp = 'scores --ckpt FILE';

export async function scoresCommand(argv: string[]): Promise<object> {
  const v = parse(argv, { ckpt: { type: 'string' } });
  const path = requireString(v, 'ckpt');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`--ckpt: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const trainer = loadCheckpoint(bytes, path);
  try {
    const table = await trainer.supernet.indicators();
    const space = getSpace(trainer.recipe.space);
    return {
      space: trainer.recipe.space,
      step: trainer.stepIndex,
      init: trainer.recipe.init,
      seed: trainer.recipe.seed,
      layers: table.layers.map((l) => ({ layer: l.layerIdx, normal: l.normal, choices: l.choices, labels: l.choices.map((c) => choiceLabel(space, c)), scores: l.scores })),
    };
  } finally {
    trainer.dispose();
  }
}
