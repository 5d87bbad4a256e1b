// The class index of a sample from what its shard carries: a synset (authoritative) and numeric
// labels (a cross-check where a synset is present). Shared by the tar and TFRecord readers.
import { inceptionLabelToIndex, isClassIndex, synsetToIndex } from './labels.ts';
import type { IssueCode } from '../formats/shard.ts';

export interface NumericLabel {
  value: number;
  /** Where it came from, for messages (".cls", "json label", "image/class/label"). */
  source: string;
  /** 'index': 0..999 sorted-synset; 'inception': 1..1000. */
  convention: 'index' | 'inception';
}

export type Resolved = { ok: true; classIndex: number; synset?: string } | { ok: false; code: IssueCode; message: string };

export function resolveClass(synset: string | undefined, numeric: readonly NumericLabel[]): Resolved {
  const indices: { index: number; label: NumericLabel }[] = [];
  for (const l of numeric) {
    const index = l.convention === 'index' ? (isClassIndex(l.value) ? l.value : -1) : inceptionLabelToIndex(l.value);
    if (index < 0) {
      const range = l.convention === 'index' ? '0..999' : '1..1000';
      return { ok: false, code: 'label-out-of-range', message: `${l.source} label ${l.value} is outside ${range}` };
    }
    indices.push({ index, label: l });
  }
  if (synset !== undefined) {
    const s = synsetToIndex(synset);
    if (s < 0) return { ok: false, code: 'unknown-synset', message: `synset "${synset}" is not one of the 1000 ImageNet classes` };
    for (const { index, label } of indices) {
      if (index !== s) {
        return { ok: false, code: 'label-mismatch', message: `${label.source} label ${label.value} (class ${index}) disagrees with synset ${synset} (class ${s})` };
      }
    }
    return { ok: true, classIndex: s, synset };
  }
  if (indices.length === 0) return { ok: false, code: 'no-label', message: 'no label: no synset and no numeric label' };
  const first = indices[0];
  for (const { index, label } of indices.slice(1)) {
    if (index !== first.index) {
      return { ok: false, code: 'label-mismatch', message: `${label.source} label ${label.value} disagrees with ${first.label.source} label ${first.label.value}` };
    }
  }
  return { ok: true, classIndex: first.index };
}
