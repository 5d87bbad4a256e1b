// Which dropped files are validation data, by their relative path alone (no reading): a file is
// validation when a directory on its path, or a word of its own name, is "val", "valid" or
// "validation" (case-insensitive). Words are the runs of letters and digits between other
// characters, so `imagenet-val-0001.tar`, `validation-00000-of-00064.tfrecord`,
// `data/validation-00000-of-00004.parquet`, `val/n01440764/x.JPEG` and
// `ILSVRC2012_val_00000001.JPEG` are validation; `train-0001.tar`, `interval.tar`,
// `valley/x.jpg` (a class directory) and `trainval.tar` are not. "test" is not validation: the
// ImageNet test splits have no labels.
// For a loose image (ImageFolder) the directory that holds it names its class and is not looked at.
import { IMAGE_EXTS } from '../images/imageKind.ts';

const VAL_WORDS = new Set(['val', 'valid', 'validation']);

const isImageName = (name: string): boolean => IMAGE_EXTS.includes(name.slice(name.lastIndexOf('.') + 1).toLowerCase());

const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);

/** True when `path` ('/'-separated, relative to the drop) names a validation file. */
export function isValidationPath(path: string): boolean {
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.length === 0) return false;
  const name = parts[parts.length - 1];
  // directories above the file; an image's own directory is its class
  const dirs = parts.slice(0, isImageName(name) ? -2 : -1);
  if (dirs.some((d) => VAL_WORDS.has(d.toLowerCase()))) return true;
  const dot = name.lastIndexOf('.');
  return words(dot > 0 ? name.slice(0, dot) : name).some((w) => VAL_WORDS.has(w));
}

/** The paths split into training and validation files (each keeps the given order). */
export function splitFiles<T>(items: readonly T[], pathOf: (item: T) => string): { train: T[]; val: T[] } {
  const train: T[] = [];
  const val: T[] = [];
  for (const it of items) (isValidationPath(pathOf(it)) ? val : train).push(it);
  return { train, val };
}
