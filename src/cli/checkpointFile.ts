// Reading a checkpoint named on the command line: a missing or unreadable file is a usage error
// naming the option and the path; a bad blob is refused by loadCheckpoint, naming the path.
import { readFileSync, statSync } from 'node:fs';
import { checkBytes } from '../core/limits.ts';
import { loadCheckpoint } from '../core/train/checkpoint.ts';
import type { Trainer } from '../core/train/trainer.ts';
import { UsageError } from './args.ts';

/** A whole file of at most `limit` (LIMITS key) bytes; the size is checked before reading. */
export function readLimitedFile(path: string, option: string, limit: 'maxCheckpointBytes' | 'maxJsonBytes' = 'maxCheckpointBytes'): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`--${option}: ${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    checkBytes(limit, size, `--${option} ${path}`);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`--${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function loadCheckpointFile(path: string, option: string): Trainer {
  return loadCheckpoint(readLimitedFile(path, option), path);
}
