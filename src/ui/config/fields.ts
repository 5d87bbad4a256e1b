// The setup's fields as data: URL parameter name, label, and the rule a value must satisfy.
// The rules are the core's limits (src/core/limits.ts, the same table the CLI uses) narrowed
// where a browser tab needs less; the worker validates again (and estimates the step's memory)
// when it builds.
import { LIMITS } from '../../core/limits.ts';

import {
  INIT_NAMES,
  TRAIN_MODES,
  SAMPLER_KINDS,
  SPACE_IDS,
  type TrainSettings,
} from '../../worker/protocol/index.ts';
import { describeRange } from '../format/numbers.ts';

export type FieldKey = keyof TrainSettings;

export type FieldSpec =
  | { key: FieldKey; param: string; label: string; kind: 'choice'; options: readonly string[] }
  | { key: FieldKey; param: string; label: string; kind: 'int' | 'number'; min: number; max: number; minExclusive?: boolean; step: number };

/** In display order; `param` is the URL query name. */
export const FIELDS: readonly FieldSpec[] = [
  { key: 'space', param: 'space', label: 'Search space', kind: 'choice', options: SPACE_IDS },
  { key: 'resolution', param: 'res', label: 'Resolution (px)', kind: 'int', min: LIMITS.resolution.min, max: Math.min(512, LIMITS.resolution.max), step: 1 },
  { key: 'widthMult', param: 'width', label: 'Width multiplier', kind: 'number', min: LIMITS.widthMult.min, max: LIMITS.widthMult.max, step: 0.05 },
  { key: 'numClasses', param: 'classes', label: 'Classes', kind: 'int', min: LIMITS.numClasses.min, max: LIMITS.numClasses.max, step: 1 },
  { key: 'init', param: 'init', label: 'Initialisation', kind: 'choice', options: INIT_NAMES },
  { key: 'seed', param: 'seed', label: 'Seed', kind: 'int', min: 0, max: 0xffffffff, step: 1 },
  { key: 'mode', param: 'mode', label: 'Training mode', kind: 'choice', options: TRAIN_MODES },
  { key: 'sampler', param: 'sampler', label: 'Sampler', kind: 'choice', options: SAMPLER_KINDS },
  { key: 'batchSize', param: 'batch', label: 'Batch size', kind: 'int', min: LIMITS.batchSize.min, max: Math.min(1024, LIMITS.batchSize.max), step: 1 },
  { key: 'totalSteps', param: 'steps', label: 'Steps', kind: 'int', min: LIMITS.steps.min, max: Math.min(1_000_000, LIMITS.steps.max), step: 1 },
  { key: 'lr', param: 'lr', label: 'Learning rate', kind: 'number', min: LIMITS.lr.min, max: LIMITS.lr.max, step: 0.01 },
];

export function fieldSpec(key: FieldKey): FieldSpec {
  const f = FIELDS.find((s) => s.key === key);
  if (f === undefined) throw new Error(`no field ${key}`);
  return f;
}

/** What the field accepts, in words (for messages): "a whole number from 8 to 512". */
export function describeRule(f: FieldSpec): string {
  if (f.kind === 'choice') return `one of ${f.options.join(', ')}`;
  return describeRange({ min: f.min, max: f.max, integer: f.kind === 'int', minExclusive: f.minExclusive });
}

/** The field's on-screen name without its unit: "Resolution (px)" -> "Resolution". */
export function fieldName(label: string): string {
  return label.replace(/\s*\([^)]*\)\s*$/, '');
}

/**
 * Parses text typed or read from the URL; returns the value, or what the field accepts (the rule
 * in words, as CheckedInput puts it after "<label> must be").
 */
export function parseField(f: FieldSpec, text: string): { value: string | number } | { error: string } {
  const raw = text.trim();
  const bad = { error: describeRule(f) };
  if (f.kind === 'choice') return f.options.includes(raw) ? { value: raw } : bad;
  if (raw === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return bad;
  const v = Number(raw);
  if (!Number.isFinite(v) || (f.kind === 'int' && !Number.isInteger(v))) return bad;
  if (f.minExclusive ? v <= f.min : v < f.min) return bad;
  if (v > f.max) return bad;
  return { value: v };
}

/** The text a value is written as, in the URL and in inputs. */
export function formatField(value: string | number): string {
  return String(value);
}
