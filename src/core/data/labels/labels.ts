// One label scheme for every reader: sorted ImageNet synsets -> class index 0..999, and an optional
// class subset that remaps the kept classes to training labels 0..K-1 (in ascending class-index
// order for `first`, in the order given for an explicit list) and drops the others.
import { IMAGENET_SYNSETS, IMAGENET_CLASS_NAMES } from './synsets.ts';

export const NUM_IMAGENET_CLASSES = 1000;

const SYNSET_TO_INDEX: ReadonlyMap<string, number> = new Map(IMAGENET_SYNSETS.map((s, i) => [s, i]));

/** Class index 0..999 of a synset id such as "n01440764", or -1 if it is not one of the 1000. */
export function synsetToIndex(synset: string): number {
  return SYNSET_TO_INDEX.get(synset) ?? -1;
}

/** Synset id of class index 0..999 (throws on anything else: a programming error). */
export function indexToSynset(classIndex: number): string {
  if (!isClassIndex(classIndex)) throw new Error(`labels: class index must be an integer 0..999, got ${classIndex}`);
  return IMAGENET_SYNSETS[classIndex];
}

/** Human-readable name of class index 0..999. */
export function className(classIndex: number): string {
  if (!isClassIndex(classIndex)) throw new Error(`labels: class index must be an integer 0..999, got ${classIndex}`);
  return IMAGENET_CLASS_NAMES[classIndex];
}

export function isClassIndex(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < NUM_IMAGENET_CLASSES;
}

/**
 * Inception / TPU-script label 1..1000 (0 was "background") -> class index 0..999, or -1 when out of
 * range. Those scripts number the sorted synset list from 1, so this is a shift.
 */
export function inceptionLabelToIndex(label: number): number {
  return Number.isInteger(label) && label >= 1 && label <= NUM_IMAGENET_CLASSES ? label - 1 : -1;
}

const SYNSET_IN_FILENAME = /^(n\d{8})_/;

/**
 * The synset a file name starts with (ImageNet train names: "n01440764_10026.JPEG", possibly under
 * directories), or undefined (validation names such as "ILSVRC2012_val_00000001.JPEG" carry none).
 */
export function synsetFromFileName(fileName: string): string | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  return SYNSET_IN_FILENAME.exec(base)?.[1];
}

/** Which classes to train on. */
export type ClassSelection =
  | { kind: 'all' }
  | { kind: 'first'; count: number }
  | { kind: 'synsets'; synsets: readonly string[] }
  | { kind: 'indices'; indices: readonly number[] };

export interface ClassSubset {
  /** K, the number of training labels. */
  readonly numClasses: number;
  /** classIndex (0..999) of each training label 0..K-1. */
  readonly classIndices: readonly number[];
  /** For each class index 0..999: its training label 0..K-1, or -1 when the class is dropped. */
  readonly labelOf: Int16Array;
}

/** Build a class subset; throws on an invalid selection (a configuration error, not a data error). */
export function selectClasses(sel: ClassSelection = { kind: 'all' }): ClassSubset {
  let classIndices: number[];
  switch (sel.kind) {
    case 'all':
      classIndices = Array.from({ length: NUM_IMAGENET_CLASSES }, (_, i) => i);
      break;
    case 'first':
      if (!Number.isInteger(sel.count) || sel.count < 1 || sel.count > NUM_IMAGENET_CLASSES) {
        throw new Error(`labels: first-K class count must be an integer 1..1000, got ${sel.count}`);
      }
      classIndices = Array.from({ length: sel.count }, (_, i) => i);
      break;
    case 'synsets':
      classIndices = sel.synsets.map((s) => {
        const i = synsetToIndex(s);
        if (i < 0) throw new Error(`labels: unknown synset "${s}" in class selection`);
        return i;
      });
      break;
    case 'indices':
      classIndices = sel.indices.map((i) => {
        if (!isClassIndex(i)) throw new Error(`labels: class index must be an integer 0..999, got ${i}`);
        return i;
      });
      break;
    default: {
      const never: never = sel;
      throw new Error(`labels: unknown class selection ${JSON.stringify(never)}`);
    }
  }
  if (classIndices.length === 0) throw new Error('labels: class selection is empty');
  const labelOf = new Int16Array(NUM_IMAGENET_CLASSES).fill(-1);
  classIndices.forEach((c, label) => {
    if (labelOf[c] >= 0) throw new Error(`labels: class ${IMAGENET_SYNSETS[c]} (${c}) selected twice`);
    labelOf[c] = label;
  });
  return { numClasses: classIndices.length, classIndices, labelOf };
}
