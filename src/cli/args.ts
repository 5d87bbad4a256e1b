// Command-line parsing over node:util parseArgs: strict (unknown options are errors), every
// value a string, and numbers / enums converted with messages that name the option.
import { parseArgs } from 'node:util';
import { checkRange, LIMITS } from '../core/limits.ts';

export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** A value that parseArgs would take for an option ("-1", "-0.5", "-Infinity", "-1e3"). */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$|NaN$)/;

/**
 * `--steps -1` as `--steps=-1`, so a negative number reaches the option's own check (and its
 * message) instead of parseArgs' "argument is ambiguous".
 */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : null;
    if (name !== null && Object.hasOwn(options, name) && options[name].type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      out.push(`${a}=${argv[++i]}`);
    } else out.push(a);
  }
  return out;
}

export function parse(argv: string[], options: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function requireString(v: Record<string, unknown>, key: string): string {
  const s = v[key];
  if (typeof s !== 'string' || s.length === 0) throw new UsageError(`missing --${key}`);
  return s;
}

/** Flags whose values meet a range of LIMITS (src/core/limits.ts), in every command. */
export const FLAG_LIMITS: Record<string, 'resolution' | 'widthMult' | 'numClasses' | 'batchSize' | 'steps' | 'lr'> = {
  res: 'resolution',
  width: 'widthMult',
  classes: 'numClasses',
  batch: 'batchSize',
  steps: 'steps',
  lr: 'lr',
};

function limited(key: string, n: number): number {
  const limit = Object.hasOwn(FLAG_LIMITS, key) ? FLAG_LIMITS[key] : undefined;
  if (limit === undefined) return n;
  try {
    return checkRange(limit, n, `--${key}`);
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (LIMITS.${limit})`);
  }
}

/** The limits of the range flags, one line each (for the CLI's help). */
export function limitsHelp(): string {
  return Object.entries(FLAG_LIMITS)
    .map(([flag, key]) => `--${flag} ${LIMITS[key].min}..${LIMITS[key].max}`)
    .join(', ');
}

export function optInt(v: Record<string, unknown>, key: string, min: number): number | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  const n = Number(s);
  if (typeof s !== 'string' || !/^-?\d+$/.test(s.trim()) || n < min) {
    throw new UsageError(`--${key} must be an integer >= ${min}, got "${String(s)}"`);
  }
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${key} ${String(s)} is past 2^53 and cannot be held exactly`);
  return limited(key, n);
}

export function optNumber(v: Record<string, unknown>, key: string, check: (n: number) => boolean, what: string): number | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${key} must be ${what}, got "${String(s)}"`);
  return limited(key, n);
}

export function optEnum<T extends string>(v: Record<string, unknown>, key: string, allowed: readonly T[]): T | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  if (!allowed.includes(s as T)) throw new UsageError(`--${key} must be one of ${allowed.join(', ')}; got "${String(s)}"`);
  return s as T;
}

/** Drop undefined fields so partial overrides do not erase defaults. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
