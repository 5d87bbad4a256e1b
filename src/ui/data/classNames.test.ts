import { describe, expect, it } from 'vitest';
import { className, indexToSynset } from '../../core/data/labels/labels.ts';
import { classNameOf } from './classNames.ts';

describe('classNameOf', () => {
  it('uses ImageNet names only for data declared ImageNet', () => {
    const plain = { folderClassNames: null, synsetLabels: false };
    expect(classNameOf(3, plain, false)).toBe('class 3');
    const imagenet = `${indexToSynset(3)} ${className(3)}`;
    expect(classNameOf(3, { folderClassNames: null, synsetLabels: true }, false)).toBe(imagenet);
    expect(classNameOf(3, plain, true)).toBe(imagenet);
    // a folder's own names win over the tick
    expect(classNameOf(1, { folderClassNames: ['cat', 'dog'], synsetLabels: false }, true)).toBe('dog');
  });
});
