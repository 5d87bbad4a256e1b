// `--backend` and `--threads` are taken out of a tensor command's argv, in both spellings, and bad
// values are refused with a message naming the option.
import { describe, expect, it } from 'vitest';
import { takeBackendFlag } from './backendFlag.ts';

describe('takeBackendFlag', () => {
  it('takes --backend X / --backend=X and --threads N / --threads=N, leaving the rest in order', () => {
    expect(takeBackendFlag(['--steps', '3', '--backend', 'cpu', '--threads', '4', '--out', 'f'])).toEqual({ argv: ['--steps', '3', '--out', 'f'], backend: 'cpu', threads: 4 });
    expect(takeBackendFlag(['--threads=2', '--backend=wasm', 'x'])).toEqual({ argv: ['x'], backend: 'wasm', threads: 2 });
    expect(takeBackendFlag(['--steps', '3'])).toEqual({ argv: ['--steps', '3'], backend: undefined, threads: undefined });
  });

  it.each([
    [['--backend', 'gpu'], /--backend "gpu" is not one of wasm, cpu/],
    [['--backend'], /--backend needs a value/],
    [['--threads'], /--threads needs a value/],
    [['--threads', '0'], /--threads "0" is not an integer from 1 to 1024/],
    [['--threads=1.5'], /--threads "1.5" is not an integer/],
    [['--threads', 'many'], /--threads "many" is not an integer/],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => takeBackendFlag(argv)).toThrow(message);
  });
});
