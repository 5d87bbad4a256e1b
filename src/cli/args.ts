// Command-line parsing over node:util parseArgs: strict (unknown options are errors), every
// value a string, and numbers / enums converted with messages that name the option.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export function parse(argv: string[], options: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function requireString(v: Record<string, unknown>, key: string): string {
  const s = v[key];
  if (typeof s !== 'string' || s.length === 0) throw new UsageError(`missing --${key}`);
  return s;
}

export function optInt(v: Record<string, unknown>, key: string, min: number): number | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  const n = Number(s);
  if (typeof s !== 'string' || !/^-?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${key} must be an integer >= ${min}, got "${String(s)}"`);
  }
  return n;
}

export function optNumber(v: Record<string, unknown>, key: string, check: (n: number) => boolean, what: string): number | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  const n = Number(s);
  if (typeof s !== 'string' || s.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${key} must be ${what}, got "${String(s)}"`);
  return n;
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
