// Reading a checkpoint named on the command line: a missing or unreadable file is a usage error
// naming the option and the path; a bad blob is refused by loadCheckpoint, naming the path.
import { readFileSync } from 'node:fs';
import { loadCheckpoint } from '../core/train/checkpoint.ts';
import type { Trainer } from '../core/train/trainer.ts';
import { UsageError } from './args.ts';

export function loadCheckpointFile(path: string, option: string): Trainer {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`--${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return loadCheckpoint(bytes, path);
}
