// Reading a checkpoint named on the command line: a missing or unreadable file is a usage error
// naming the option and the path; a bad blob is refused by loadCheckpoint, naming the path. A run
// file of the PyTorch trainer (safetensors, docs/scale-out.md) is checked against the lab's rebuild
// and opened like a lab checkpoint.
import { readFileSync, statSync } from 'node:fs';
import { importRunFile, isRunFile } from '../core/io/supernetFile.ts';
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

/** The file's bytes as a lab checkpoint (a PyTorch run file converted after its checks). */
export async function readCheckpointBytes(path: string, option: string): Promise<Uint8Array> {
  const bytes = readLimitedFile(path, option);
  return isRunFile(bytes) ? importRunFile(bytes, path) : bytes;
}

export async function loadCheckpointFile(path: string, option: string): Promise<Trainer> {
  return loadCheckpoint(await readCheckpointBytes(path, option), path);
}
