import { describe, expect, it } from 'vitest';
import { isValidationPath, splitFiles } from './splitFiles.ts';

describe('isValidationPath', () => {
  it.each([
    'imagenet-val-0001.tar',
    'imagenet1k-validation-0003.tar.gz',
    'validation-00000-of-00064.tfrecord',
    'data/validation-00000-of-00004.parquet',
    'imagenet-1k/data/val-00001.parquet',
    'VAL/shard-0.tar',
    'valid/0001.tfrecord',
    'val/n01440764/x.JPEG',
    'drop/validation/tench/x.png',
    'train_and_more/n01440764/ILSVRC2012_val_00000293.JPEG',
    'shards/val.tar',
  ])('%s is validation', (p) => expect(isValidationPath(p)).toBe(true));

  it.each([
    'imagenet-train-0001.tar',
    'train-00000-of-01024',
    'data/train-00000-of-00257.parquet',
    'interval-0001.tar',
    'trainval.tar',
    'test-00000-of-00016.parquet',
    'train/n01440764/n01440764_10026.JPEG',
    'train/val/x.jpg', // "val" is the image's class directory here
    'valley/x.jpg',
    'evaluation.tar',
    '',
  ])('%s is not validation', (p) => expect(isValidationPath(p)).toBe(false));
});

describe('splitFiles', () => {
  it('splits keeping the order within each side', () => {
    const paths = ['b-val.tar', 'a-train.tar', 'val/c/1.jpg', 'c-train.tar', 'a-val.tar'];
    expect(splitFiles(paths, (p) => p)).toEqual({ train: ['a-train.tar', 'c-train.tar'], val: ['b-val.tar', 'val/c/1.jpg', 'a-val.tar'] });
    expect(splitFiles([{ p: 'x.tar' }], (o) => o.p)).toEqual({ train: [{ p: 'x.tar' }], val: [] });
  });
});
