// `scores`: the indicator table s(l, c) of a checkpoint, identity (-1) included.
import { choiceLabel, getSpace } from '../../core/space/index.ts';
import { parse, requireString } from '../args.ts';
import { loadCheckpointFile } from '../checkpointFile.ts';
import { readIndicators } from '../../core/model/indicators.ts';

export const scoresHelp = 'scores --ckpt FILE';

export async function scoresCommand(argv: string[]): Promise<object> {
  const v = parse(argv, { ckpt: { type: 'string' } });
  const path = requireString(v, 'ckpt');
  const trainer = await loadCheckpointFile(path, 'ckpt');
  try {
    const table = await readIndicators(trainer.supernet);
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
