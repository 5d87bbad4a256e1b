// `cost`: exact MACs and parameters of an architecture (thop/fvcore convention).
import { archCost } from '../../core/space/cost.ts';
import { parseArch, resolveSpace } from '../../core/space/decode.ts';
import { getSpace, SPACE_IDS } from '../../core/space/spaces.ts';
import { REFERENCE_CONFIG } from '../../core/space/types.ts';
import { checkExact } from '../../core/limits.ts';
import { defined, optEnum, optInt, optNumber, parse, requireString, UsageError } from '../args.ts';

export const costHelp = 'cost --space S --arch 3,-1,0,... [--res R --width W --classes N --identity on|off]';

export function costCommand(argv: string[]): object {
  const v = parse(argv, { space: { type: 'string' }, arch: { type: 'string' }, res: { type: 'string' }, width: { type: 'string' }, classes: { type: 'string' }, identity: { type: 'string' } });
  const spaceId = optEnum(v, 'space', SPACE_IDS) ?? (() => { throw new UsageError(`missing --space (one of ${SPACE_IDS.join(', ')})`); })();
  const space = getSpace(spaceId);
  const config = {
    ...REFERENCE_CONFIG,
    identity: (optEnum(v, 'identity', ['on', 'off'] as const) ?? 'on') === 'on',
    ...defined({ resolution: optInt(v, 'res', 8), widthMult: optNumber(v, 'width', (n) => n > 0, 'a number > 0'), numClasses: optInt(v, 'classes', 2) }),
  };
  let arch;
  try {
    arch = parseArch(requireString(v, 'arch'));
  } catch (e) {
    throw new UsageError(`--arch: ${(e as Error).message}`);
  }
  let cost;
  try {
    resolveSpace(space, config); // validates the config
    cost = archCost(space, config, arch);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    [cost.macs, cost.params, cost.reference.macs, cost.reference.params].forEach((n) => checkExact(n, 'the count'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const isReference = config.resolution === 224 && config.numClasses === 1000;
  return isReference ? { macs: cost.macs, params: cost.params } : { macs: cost.macs, params: cost.params, reference: cost.reference };
}
