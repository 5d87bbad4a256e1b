// `export`: a picked subnet of a checkpoint as versioned JSON (reads back with importSubnet) or,
// for MobileNetV2 spaces, as a timm arch_def with its EfficientNet arguments (docs/search.md).
import { bestArch, DEFAULT_SCORE_RULE, exportSubnet, SCORE_RULES, timmArchDef } from '../../core/search/index.ts';
import { getSpace, parseArch, resolveSpace, validateArch } from '../../core/space/index.ts';
import { optEnum, parse, requireString, UsageError } from '../args.ts';
import { readCheckpointSource } from './searchSource.ts';

export const exportHelp = 'export --ckpt FILE --arch 3,-1,0,...|best [--format json|timm --rule dirf|bnnas]';

export async function exportCommand(argv: string[]): Promise<object> {
  const v = parse(argv, { ckpt: { type: 'string' }, arch: { type: 'string' }, format: { type: 'string' }, rule: { type: 'string' } });
  const path = requireString(v, 'ckpt');
  const archText = requireString(v, 'arch');
  const format = optEnum(v, 'format', ['json', 'timm'] as const) ?? 'json';
  const rule = optEnum(v, 'rule', SCORE_RULES) ?? DEFAULT_SCORE_RULE;
  const src = await readCheckpointSource(path);
  const space = getSpace(src.space);
  let arch;
  try {
    arch = archText === 'best' ? bestArch(src.table, rule) : parseArch(archText);
    validateArch(resolveSpace(space, src.config), arch);
  } catch (e) {
    throw new UsageError(`--arch: ${(e as Error).message}`);
  }
  if (format === 'json') return exportSubnet(src, arch, rule);
  try {
    return timmArchDef(space, src.config, arch);
  } catch (e) {
    throw new UsageError(`--format timm: ${(e as Error).message}`);
  }
}
