// The whole setup in the URL query, as TensorFlow Playground keeps its state in the hash:
// `?preset=tiny&space=...&res=32&...`. Decoding starts from the preset (tiny when absent) and
// applies each known parameter that is valid; every invalid one is reported and falls back to the
// preset's value. Encoding writes the preset and every field, then every other parameter
// (`?backends=`) as it was.

import { PRESET_NAMES, PRESET_SETTINGS, type PresetName, type TrainSettings } from '../../worker/protocol/index.ts';
import { FIELDS, fieldName, formatField, parseField } from './fields.ts';

export const DEFAULT_PRESET: PresetName = 'tiny';

export interface DecodedSetup {
  preset: PresetName;
  settings: TrainSettings;
  /** One message per invalid parameter, naming its field (and the link's text) and the value used instead. */
  issues: string[];
}

function isPresetName(s: string): s is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(s);
}

export function decodeSetup(search: string): DecodedSetup {
  const q = new URLSearchParams(search);
  const issues: string[] = [];
  let preset = DEFAULT_PRESET;
  const rawPreset = q.get('preset');
  if (rawPreset !== null) {
    if (isPresetName(rawPreset)) preset = rawPreset;
    else issues.push(`Preset (preset=${rawPreset} in the link) must be one of ${PRESET_NAMES.join(', ')}; using ${DEFAULT_PRESET}`);
  }
  const settings: TrainSettings = { ...PRESET_SETTINGS[preset] };
  const out = settings as unknown as Record<string, string | number>;
  for (const f of FIELDS) {
    const raw = q.get(f.param);
    if (raw === null) continue;
    const r = parseField(f, raw);
    if ('error' in r) issues.push(`${fieldName(f.label)} (${f.param}=${raw} in the link) must be ${r.error}; using ${formatField(settings[f.key])}`);
    else out[f.key] = r.value;
  }
  return { preset, settings, issues };
}

/** The query string (with '?') for this setup, keeping parameters the setup does not own. */
export function encodeSetup(preset: PresetName, settings: TrainSettings, currentSearch = ''): string {
  const q = new URLSearchParams();
  q.set('preset', preset);
  for (const f of FIELDS) q.set(f.param, formatField(settings[f.key]));
  const owned = new Set(['preset', ...FIELDS.map((f) => f.param)]);
  for (const [k, v] of new URLSearchParams(currentSearch)) if (!owned.has(k)) q.append(k, v);
  return `?${q.toString()}`;
}
