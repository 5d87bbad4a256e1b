// The names the Data panel shows for class indices: an ImageFolder's directory names, ImageNet
// names only where the data is declared ImageNet (a synset in the data, or the user's "labels are
// ImageNet indices" tick), otherwise "class 3". Pure.
import { className, indexToSynset } from '../../core/data/labels/labels.ts';

export interface ClassNaming {
  /** Directory names of an ImageFolder read by sorted names (index -> name), else null. */
  folderClassNames: string[] | null;
  /** The data named ImageNet synsets. */
  synsetLabels: boolean;
}

/** The shown name of class index `c`; `imagenetTick`: the user declared the labels ImageNet indices. */
export function classNameOf(c: number, naming: ClassNaming, imagenetTick: boolean): string {
  if (naming.folderClassNames !== null) return naming.folderClassNames[c] ?? `class ${c}`;
  if (naming.synsetLabels || imagenetTick) return `${indexToSynset(c)} ${className(c)}`;
  return `class ${c}`;
}
