// The Data panel's line on how loaded data is split into training and validation samples.
import type { DataSplit } from '../../worker/protocol/index.ts';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeSplit(split: DataSplit): string {
  const note = split.kind !== 'files' && split.note ? ` (${split.note})` : '';
  switch (split.kind) {
    case 'files':
      return `validation: the ${plural(split.valFiles, 'file')} named as such (${split.shown.slice(0, 3).join(', ')}${split.valFiles > 3 ? ', ...' : ''}); training: the other ${plural(split.trainFiles, 'file')}`;
    case 'fraction':
      return `validation: ${+(split.fraction * 100).toFixed(4)}% of the samples, held out by key hash${note}`;
    case 'none':
      return `validation: none (held-out fraction 0)${note}`;
    default: {
      const unreachable: never = split;
      return `unknown split ${JSON.stringify(unreachable)}`;
    }
  }
}
